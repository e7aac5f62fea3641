package io.gantry.release;

import io.gantry.api.verify.ReleaseSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A {@link ReleaseSource} over a release archive whose entry names were already checked. */
public final class ArchiveReleaseSource implements ReleaseSource, AutoCloseable {
    private final Path path;
    private final ZipFile zip;

    ArchiveReleaseSource(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
    }

    @Override
    public byte[] metadata() throws IOException {
        return readSmall(ReleaseArchive.METADATA, MetadataJson.MAX_BYTES);
    }

    /** @return the envelope bytes, or an empty envelope if the archive carries none */
    @Override
    public byte[] signatures() throws IOException {
        if (zip.getEntry(ReleaseArchive.SIGNATURES) == null) {
            return SignatureEnvelope.write(List.of());
        }
        return readSmall(ReleaseArchive.SIGNATURES, 64 * 1024);
    }

    @Override
    public InputStream openPayload(String payloadName) throws IOException {
        ZipEntry e = zip.getEntry(ReleaseArchive.PAYLOAD_PREFIX + payloadName);
        if (e == null) {
            throw new FileNotFoundException("archive has no payload " + payloadName);
        }
        return zip.getInputStream(e);
    }

    /** @return the payload names present in the archive (not necessarily the signed ones) */
    public List<String> payloadNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(ReleaseArchive.PAYLOAD_PREFIX)) {
                names.add(n.substring(ReleaseArchive.PAYLOAD_PREFIX.length()));
            }
        }
        return names;
    }

    @Override
    public String describe() {
        return path.getFileName().toString();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private byte[] readSmall(String entry, int max) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new FileNotFoundException("archive has no " + entry);
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException(entry + " exceeds " + max + " bytes");
            }
            return bytes;
        }
    }
}
