package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.verify.VerifiedPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * A sensor with two flash slots (A and B) and a boot-state file, simulated on disk. An update
 * writes the inactive slot, marks it for a trial boot, "boots" it (the device's own image check)
 * and then confirms it; if the trial boot fails the device keeps booting the old slot. The device
 * does its own check too, so a compromised gateway cannot push it an older image.
 */
final class SimulatedAbDevice {
    private final Path dir;
    private final Properties state;

    private SimulatedAbDevice(Path dir, Properties state) {
        this.dir = dir;
        this.state = state;
    }

    /** Opens the device's flash, creating factory state (slot A, version 1.0.0) on first use. */
    static SimulatedAbDevice open(Path dir) throws IOException {
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
        }
        SimulatedAbDevice device = new SimulatedAbDevice(dir, p);
        device.resolveInterruptedTrial();
        device.save();
        return device;
    }

    DeviceUpdateResult install(String version, VerifiedPayload image) throws DeviceUpdateException, IOException {
        String previous = state.getProperty("version");
        if (FirmwareImage.compare(version, previous) <= 0) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "device runs " + previous + " and refuses " + version);
        }
        String inactive = "a".equals(state.getProperty("active")) ? "b" : "a";
        Path slot = dir.resolve("slot-" + inactive + ".img");
        Path tmp = dir.resolve("slot-" + inactive + ".img.part");
        try (InputStream in = image.open(); OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        } catch (IOException e) {
            // A failed write (or a payload that no longer matches its verified digest) leaves no half image behind.
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, slot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state.setProperty("trial", inactive);
        save();
        // Trial boot: the bootloader starts the new slot once; the image must identify itself.
        String booted = FirmwareImage.versionOf(Files.readString(slot, StandardCharsets.UTF_8));
        if (!version.equals(booted)) {
            state.remove("trial");
            save();
            throw new DeviceUpdateException(DeviceFailureCode.BOOT_FAILED, "slot " + inactive + " did not boot " + version
                    + "; device stays on slot " + state.getProperty("active") + " " + previous);
        }
        state.setProperty("active", inactive);
        state.setProperty("version", version);
        state.remove("trial");
        save();
        return new DeviceUpdateResult(dir.getFileName().toString(), previous, version, inactive.toUpperCase());
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
