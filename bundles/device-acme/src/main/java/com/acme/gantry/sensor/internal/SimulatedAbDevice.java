package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.release.ReleaseVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A sensor with two flash slots (A and B), a boot-state file and release keys of its own,
 * simulated on disk. An update is checked by the device first (signatures over the signed
 * metadata with its provisioned keys, device type, version and security counter above its own,
 * image digest and size against the metadata it parsed itself), then written to the inactive slot,
 * marked for a trial boot, booted, and confirmed; a trial boot that fails or is never confirmed
 * leaves the device on its old slot. So a compromised gateway can neither flash an image nobody
 * signed nor push an older one. Faults ({@link Fault}) are injected per device.
 */
final class SimulatedAbDevice {
    /** Default size of one flash slot. */
    static final long DEFAULT_SLOT_BYTES = 1024 * 1024;

    private final Path dir;
    private final Properties state;
    private final long slotBytes;

    private SimulatedAbDevice(Path dir, Properties state, long slotBytes) {
        this.dir = dir;
        this.state = state;
        this.slotBytes = slotBytes;
    }

    /**
     * Opens the device's flash, creating factory state (slot A, version 1.0.0, counter 0, the
     * factory release keys) on first use.
     */
    static SimulatedAbDevice open(Path dir, Path factoryTrustRoot, long slotBytes) throws IOException {
        Files.createDirectories(dir);
        Path stateFile = dir.resolve("boot.properties");
        Properties p = new Properties();
        if (Files.exists(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                p.load(in);
            }
        } else {
            Files.writeString(dir.resolve("slot-a.img"), FirmwareImage.header("1.0.0") + "factory image\n");
            p.setProperty("active", "a");
            p.setProperty("version", "1.0.0");
            p.setProperty("counter", "0");
        }
        DeviceKeys.provision(dir, factoryTrustRoot);
        SimulatedAbDevice device = new SimulatedAbDevice(dir, p, slotBytes);
        device.resolveInterruptedTrial();
        device.save();
        return device;
    }

    /** @return the confirmed firmware version */
    String version() {
        return state.getProperty("version");
    }

    /**
     * @param keys the device's own release keys
     * @param deviceType the device's type
     * @param request what the gateway hands over
     * @param fault a fault to play, or null
     */
    DeviceUpdateResult install(DeviceKeys keys, String deviceType, DeviceUpdateRequest request, Fault fault)
            throws DeviceUpdateException, IOException {
        ReleaseMetadata m = keys.check(request.signedMetadata(), request.signatures(), deviceType);
        String version = m.version();
        String previous = version();
        long counter = Long.parseLong(state.getProperty("counter", "0"));
        if (ReleaseVersions.ordinal(version) <= ReleaseVersions.ordinal(previous) || m.securityCounter() < counter) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "device runs " + previous + " (counter "
                    + counter + ") and refuses " + version + " (counter " + m.securityCounter() + ")");
        }
        PayloadInfo signed = m.payloads().get(0);
        VerifiedPayload image = request.images().stream().filter(i -> i.info().name().equals(signed.name())).findFirst()
                .orElseThrow(() -> new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "no image " + signed.name()));
        if (fault == Fault.FLASH_FULL || signed.size() > slotBytes) {
            throw new DeviceUpdateException(DeviceFailureCode.FLASH_FULL, "image of " + signed.size() + " bytes, slot holds "
                    + (fault == Fault.FLASH_FULL ? 0 : slotBytes) + "; device stays on " + previous);
        }
        String active = state.getProperty("active");
        String inactive = "a".equals(active) ? "b" : "a";
        Path slot = dir.resolve("slot-" + inactive + ".img");
        write(image, signed, dir.resolve("slot-" + inactive + ".img.part"), slot, fault);
        state.setProperty("trial", inactive);
        save();
        // Trial boot: the bootloader starts the new slot once; the image must identify itself.
        String booted = FirmwareImage.versionOf(Files.readString(slot, StandardCharsets.UTF_8));
        if (fault == Fault.BOOT_FAILURE || !version.equals(booted)) {
            revertTrial();
            throw new DeviceUpdateException(DeviceFailureCode.BOOT_FAILED, "slot " + inactive.toUpperCase() + " did not boot " + version
                    + "; device stays on slot " + active.toUpperCase() + " " + previous);
        }
        if (fault == Fault.NO_CONFIRMATION) {
            // It booted but never confirmed within its window: the bootloader falls back (A/B rollback).
            revertTrial();
            state.setProperty("rollbacks", Integer.toString(Integer.parseInt(state.getProperty("rollbacks", "0")) + 1));
            save();
            throw new DeviceUpdateException(DeviceFailureCode.BOOT_NOT_CONFIRMED, "slot " + inactive.toUpperCase() + " booted " + version
                    + " but never confirmed: rolled back to slot " + active.toUpperCase() + " " + previous);
        }
        state.setProperty("active", inactive);
        state.setProperty("version", version);
        state.setProperty("counter", Long.toString(m.securityCounter()));
        state.remove("trial");
        save();
        return new DeviceUpdateResult(dir.getFileName().toString(), previous, version, inactive.toUpperCase());
    }

    /** Streams the image into the slot, checking size and digest against the metadata the device verified. */
    private static void write(VerifiedPayload image, PayloadInfo signed, Path tmp, Path slot, Fault fault)
            throws DeviceUpdateException, IOException {
        MessageDigest sha256 = sha256();
        long written;
        try (InputStream in = image.open(); OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha256)) {
            if (fault == Fault.TRANSFER_INTERRUPTED) {
                out.write(in.readNBytes((int) (signed.size() / 2)));
                throw new DeviceUpdateException(DeviceFailureCode.TRANSFER_INTERRUPTED, "transfer broke off after "
                        + signed.size() / 2 + " of " + signed.size() + " bytes");
            }
            byte[] bytes = in.readNBytes((int) signed.size() + 1);
            out.write(bytes);
            written = bytes.length;
        } catch (DeviceUpdateException | IOException e) {
            // A failed write (or a payload that no longer matches its verified digest) leaves no half image behind.
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (written != signed.size() || !HexFormat.of().formatHex(sha256.digest()).equals(signed.sha256())) {
            Files.deleteIfExists(tmp);
            throw new DeviceUpdateException(DeviceFailureCode.SIGNATURE_REJECTED, "image " + signed.name()
                    + " does not match the digest in the signed metadata: not written");
        }
        Files.move(tmp, slot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void revertTrial() throws IOException {
        state.remove("trial");
        save();
    }

    /** A trial that was never confirmed (power lost mid-update) falls back to the old slot. */
    private void resolveInterruptedTrial() {
        state.remove("trial");
    }

    private void save() throws IOException {
        Path tmp = dir.resolve("boot.properties.tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            state.store(out, "simulated Acme sensor boot state");
        }
        Files.move(tmp, dir.resolve("boot.properties"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
