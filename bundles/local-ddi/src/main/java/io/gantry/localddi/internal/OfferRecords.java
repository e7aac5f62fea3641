package io.gantry.localddi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The local endpoint's offers and confirmed versions on disk, beside the artifact cache
 * ({@code <cacheDir>/offers/}), so a gateway restart does not take a deployment away from a device
 * in the middle of it: one {@code <device>.offer} file per device (action id, name, version, file
 * name, the artifact's signed SHA-256; once the device reported the deployment closed and nobody
 * waited for it, also its result, until the agent takes it) and {@code installed.properties}. A
 * record names an artifact only by its digest; the bytes served are the cache's, checked against
 * that digest again when the record is read and at every serve. Each file is written aside, forced
 * and renamed, so an offer turns into its result in one atomic step. Not final: tests hook its
 * writes to interleave a take-up with a device's report.
 */
class OfferRecords {
    /** Longest result text kept (swupdate sends up to 48 detail lines). */
    static final int MAX_DETAILS = 4000;
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._:+-]{1,64}");
    private static final String SUFFIX = ".offer";
    private final Path dir;

    /**
     * One offer as stored.
     *
     * @param closed {@code null} while open; {@code success} or {@code failure} once the device
     *     reported the deployment closed and the result waits for the agent to take it
     * @param previousVersion the version the device ran before a {@code success}, else {@code null}
     * @param details the device's final detail lines, else {@code null}
     */
    record Stored(String deviceId, long actionId, String name, String version, String filename, String sha256,
            String closed, String previousVersion, String details) {
        /** An open offer. */
        Stored(String deviceId, long actionId, String name, String version, String filename, String sha256) {
            this(deviceId, actionId, name, version, filename, sha256, null, null, null);
        }

        boolean open() {
            return closed == null;
        }
    }

    OfferRecords(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    void store(Stored s) throws IOException {
        if (!DEVICE.matcher(s.deviceId()).matches()) {
            throw new IOException("device id not storable: " + s.deviceId());
        }
        Properties p = new Properties();
        p.setProperty("actionId", Long.toString(s.actionId()));
        p.setProperty("name", s.name());
        p.setProperty("version", s.version());
        p.setProperty("filename", s.filename());
        p.setProperty("sha256", s.sha256());
        if (!s.open()) {
            p.setProperty("closed", s.closed());
            if (s.previousVersion() != null) {
                p.setProperty("previousVersion", s.previousVersion());
            }
            String details = s.details() == null ? "" : s.details();
            p.setProperty("details", details.length() > MAX_DETAILS ? details.substring(0, MAX_DETAILS) : details);
        }
        write(dir.resolve(s.deviceId() + SUFFIX), p);
    }

    void remove(String deviceId) throws IOException {
        if (DEVICE.matcher(deviceId).matches()) {
            Files.deleteIfExists(dir.resolve(deviceId + SUFFIX));
        }
    }

    /**
     * @return every stored offer; a record that does not read, or names a result other than
     *     {@code success} or {@code failure}, is skipped (never taken for a result)
     */
    List<Stored> all() throws IOException {
        List<Stored> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : ds) {
                String device = f.getFileName().toString();
                device = device.substring(0, device.length() - SUFFIX.length());
                Properties p = read(f);
                String closed = p.getProperty("closed");
                if (closed != null && !closed.equals("success") && !closed.equals("failure")) {
                    continue;
                }
                try {
                    out.add(new Stored(device, Long.parseLong(p.getProperty("actionId")), p.getProperty("name"),
                            p.getProperty("version"), p.getProperty("filename"), p.getProperty("sha256"), closed,
                            p.getProperty("previousVersion"), p.getProperty("details")));
                } catch (NumberFormatException e) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return out.stream().filter(s -> s.name() != null && s.version() != null && s.filename() != null && s.sha256() != null)
                .toList();
    }

    void storeInstalled(Map<String, String> installed) throws IOException {
        Properties p = new Properties();
        p.putAll(new TreeMap<>(installed));
        write(dir.resolve("installed.properties"), p);
    }

    Map<String, String> installed() throws IOException {
        Path f = dir.resolve("installed.properties");
        Map<String, String> out = new TreeMap<>();
        if (Files.exists(f)) {
            read(f).forEach((k, v) -> out.put(k.toString(), v.toString()));
        }
        return out;
    }

    private static Properties read(Path f) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p;
    }

    private static void write(Path target, Properties p) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, null);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
