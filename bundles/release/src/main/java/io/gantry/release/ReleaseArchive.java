package io.gantry.release;

import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A release as one file (a zip): {@code release.json} (the signed metadata bytes),
 * {@code signatures.json} (the envelope) and {@code payloads/<name>} for each payload. Reading
 * accepts exactly those entry names, each once; anything else (paths, duplicates, directories) is
 * refused before a byte is used.
 */
public final class ReleaseArchive {
    /** Entry holding the signed metadata bytes. */
    public static final String METADATA = "release.json";
    /** Entry holding the signature envelope. */
    public static final String SIGNATURES = "signatures.json";
    /** Prefix of payload entries. */
    public static final String PAYLOAD_PREFIX = "payloads/";

    private ReleaseArchive() {
    }

    /**
     * Writes an archive atomically (temporary file, then rename).
     *
     * @param out the archive to create or replace
     * @param metadata the metadata bytes
     * @param signatures the envelope bytes
     * @param payloads payload name to the file holding its bytes
     */
    public static void write(Path out, byte[] metadata, byte[] signatures, Map<String, Path> payloads)
            throws IOException {
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".release", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, METADATA, metadata);
            put(zip, SIGNATURES, signatures);
            for (Map.Entry<String, Path> p : payloads.entrySet()) {
                zip.putNextEntry(new ZipEntry(PAYLOAD_PREFIX + p.getKey()));
                Files.copy(p.getValue(), zip);
                zip.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Opens an archive for reading after checking its entry names.
     *
     * @throws MalformedReleaseException if an entry is unexpected, repeated or a required one is missing
     */
    public static ArchiveReleaseSource open(Path archive) throws IOException, MalformedReleaseException {
        ZipFile zip = new ZipFile(archive.toFile());
        try {
            checkEntries(zip);
            return new ArchiveReleaseSource(archive, zip);
        } catch (MalformedReleaseException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * Copies {@code in} to {@code out} with a new signature envelope, keeping metadata and payloads
     * byte for byte.
     */
    public static void rewriteSignatures(Path in, Path out, byte[] signatures)
            throws IOException, MalformedReleaseException {
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".release", ".tmp");
        try (ArchiveReleaseSource src = open(in);
                OutputStream os = Files.newOutputStream(tmp);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            put(zip, METADATA, src.metadata());
            put(zip, SIGNATURES, signatures);
            for (String name : src.payloadNames()) {
                zip.putNextEntry(new ZipEntry(PAYLOAD_PREFIX + name));
                try (InputStream p = src.openPayload(name)) {
                    p.transferTo(zip);
                }
                zip.closeEntry();
            }
        } catch (IOException | MalformedReleaseException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void checkEntries(ZipFile zip) throws MalformedReleaseException {
        Set<String> seen = new HashSet<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            boolean known = name.equals(METADATA) || name.equals(SIGNATURES)
                    || (name.startsWith(PAYLOAD_PREFIX) && isPlainName(name.substring(PAYLOAD_PREFIX.length())));
            if (!known) {
                throw new MalformedReleaseException("unexpected archive entry " + name);
            }
            if (!seen.add(name)) {
                throw new MalformedReleaseException("archive entry repeated: " + name);
            }
        }
        if (!seen.contains(METADATA)) {
            throw new MalformedReleaseException("archive lacks " + METADATA);
        }
    }

    private static boolean isPlainName(String n) {
        return n.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}") && !n.contains("..");
    }
}
