package io.gantry.agent.internal;

import io.gantry.release.ReleaseVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Per-device anti-rollback floors, in the agent's data area: for each device (type and id) the
 * highest firmware version and security counter it confirmed. A device is never offered a release
 * below its floor, and a confirmed device is never flashed again with the same version. Floors only
 * rise, and only after the device confirmed a boot; the file is replaced atomically.
 */
final class DeviceLedger {
    private final Path file;
    private final Properties floors = new Properties();

    /** A device's floor: the version (major.minor.micro) and counter it confirmed. */
    record Floor(String version, long counter) {
        /** @return whether a release of this version and counter lies below the floor */
        boolean refuses(String releaseVersion, long releaseCounter) {
            return ReleaseVersions.ordinal(releaseVersion) < ReleaseVersions.ordinal(version) || releaseCounter < counter;
        }
    }

    /**
     * @param file where the floors live; a missing file is an empty ledger
     * @throws IOException if an existing file cannot be read (fail closed: no update without floors)
     */
    DeviceLedger(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                floors.load(in);
            }
        }
    }

    /** @return where the floors live */
    Path file() {
        return file;
    }

    /** @return the device's floor, if it ever confirmed a release */
    synchronized Optional<Floor> floor(String type, String deviceId) {
        String v = floors.getProperty(key(type, deviceId));
        if (v == null) {
            return Optional.empty();
        }
        String[] parts = v.split(" ");
        return Optional.of(new Floor(parts[0], Long.parseLong(parts[1])));
    }

    /** Raises the device's floor to a confirmed release (never lowers it). */
    synchronized void confirmed(String type, String deviceId, String version, long counter) throws IOException {
        Optional<Floor> old = floor(type, deviceId);
        String v = version;
        long c = counter;
        if (old.isPresent()) {
            if (ReleaseVersions.ordinal(old.get().version()) > ReleaseVersions.ordinal(version)) {
                v = old.get().version();
            }
            c = Math.max(c, old.get().counter());
        }
        floors.setProperty(key(type, deviceId), ReleaseVersions.format(ReleaseVersions.ordinal(v)) + " " + c);
        save();
    }

    private static String key(String type, String deviceId) {
        return type + "/" + deviceId;
    }

    private void save() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            floors.store(out, "per-device firmware floors: <type>/<device>=<version> <security counter>");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
