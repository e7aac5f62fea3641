package io.gantry.backend.ddi;

import io.gantry.api.release.PayloadInfo;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.CompatDigests;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One file a device downloads for a release: the signed metadata ({@code release.json}), the
 * signature envelope ({@code signatures.json}), or a payload. Devices verify all of it
 * themselves; the backend only serves the exact bytes it verified at upload.
 *
 * @param filename the download name
 * @param sha256 hex digest of the bytes
 * @param compat SHA-1 and MD5 of the bytes, for hawkBit DDI clients
 * @param size byte count
 * @param inline the bytes, for the two small documents; {@code null} for payloads
 * @param file the content-addressed file, for payloads; {@code null} otherwise
 */
public record DeploymentArtifact(String filename, String sha256, CompatDigests compat, long size, byte[] inline, Path file) {

    /**
     * @return the release's artifacts in download order: metadata, signatures, then payloads
     * @throws IOException if a payload's content is missing from the store
     */
    public static List<DeploymentArtifact> of(ReleaseRow release, ArtifactStore store) throws IOException {
        List<DeploymentArtifact> out = new ArrayList<>();
        out.add(inline(ReleaseArchive.METADATA, release.metadata()));
        out.add(inline(ReleaseArchive.SIGNATURES, release.signatures()));
        for (PayloadInfo p : release.payloads()) {
            out.add(new DeploymentArtifact(p.name(), p.sha256(), store.compatDigests(p.sha256()), p.size(), null,
                    store.path(p.sha256())));
        }
        return out;
    }

    /** @return a stream over the bytes from {@code offset} on */
    public InputStream openAt(long offset) throws IOException {
        if (inline != null) {
            return new ByteArrayInputStream(inline, (int) offset, inline.length - (int) offset);
        }
        SeekableByteChannel ch = Files.newByteChannel(file);
        try {
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static DeploymentArtifact inline(String name, byte[] bytes) {
        String sha = HexFormat.of().formatHex(PayloadCheck.sha256().digest(bytes));
        return new DeploymentArtifact(name, sha, CompatDigests.of(bytes), bytes.length, bytes, null);
    }
}
