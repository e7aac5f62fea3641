package com.acme.gantry.sensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.VerifiedPayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedAbDeviceTest {
    @TempDir
    Path dir;

    static VerifiedPayload image(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return new PayloadInfo("fw.img", "0".repeat(64), bytes.length);
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    @Test
    void updateWritesInactiveSlotAndSwitchesAfterBoot() throws Exception {
        SimulatedAbDevice d = SimulatedAbDevice.open(dir.resolve("s1"));
        DeviceUpdateResult r = d.install("1.1.0", image(FirmwareImage.header("1.1.0") + "new"));
        assertEquals("B", r.activeSlot());
        assertEquals("1.0.0", r.previousVersion());
        assertEquals("1.1.0", r.newVersion());
        assertEquals(FirmwareImage.header("1.1.0") + "new", Files.readString(dir.resolve("s1/slot-b.img")));
    }

    @Test
    void deviceRefusesOlderOrSameVersion() throws Exception {
        SimulatedAbDevice d = SimulatedAbDevice.open(dir.resolve("s1"));
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class,
                () -> d.install("1.0.0", image(FirmwareImage.header("1.0.0"))));
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, e.code());
    }

    @Test
    void imageThatFailsWhileReadLeavesNoPartialSlotFile() throws Exception {
        SimulatedAbDevice d = SimulatedAbDevice.open(dir.resolve("s1"));
        VerifiedPayload changed = new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return new PayloadInfo("fw.img", "0".repeat(64), 10);
            }

            @Override
            public InputStream open() {
                // As a staged payload whose bytes changed after verification fails at end of stream.
                return new java.io.SequenceInputStream(new ByteArrayInputStream(new byte[10]), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("staged payload fw.img changed after verification");
                    }
                });
            }
        };
        assertThrows(IOException.class, () -> d.install("1.1.0", changed));
        try (var files = Files.list(dir.resolve("s1"))) {
            assertEquals(List.of("boot.properties", "slot-a.img"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("1.0.0", SimulatedAbDevice.open(dir.resolve("s1")).install("1.1.0",
                image(FirmwareImage.header("1.1.0"))).previousVersion());
    }

    @Test
    void failedTrialBootKeepsOldSlot() throws Exception {
        SimulatedAbDevice d = SimulatedAbDevice.open(dir.resolve("s1"));
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class,
                () -> d.install("2.0.0", image("not an acme image")));
        assertEquals(DeviceFailureCode.BOOT_FAILED, e.code());
        DeviceUpdateResult r = SimulatedAbDevice.open(dir.resolve("s1"))
                .install("2.0.1", image(FirmwareImage.header("2.0.1")));
        assertEquals("1.0.0", r.previousVersion(), "the failed trial never became the running version");
    }
}
