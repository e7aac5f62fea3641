package io.gantry.backend.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-device feedback line: read strictly, anything else is just a detail line. */
class DeviceLineTest {
    @Test
    void aFailedDeviceLineIsRead() {
        DeviceLine l = DeviceLine.parse("device=sensor-3 type=acme-sensor result=FAILED version=1.0.0 release=1.1.0"
                + " code=BOOT_NOT_CONFIRMED ; slot B booted 1.1.0 but never confirmed: rolled back to slot A 1.0.0").orElseThrow();
        assertEquals(new DeviceLine("sensor-3", "acme-sensor", "FAILED", "1.0.0", "1.1.0", "BOOT_NOT_CONFIRMED",
                "slot B booted 1.1.0 but never confirmed: rolled back to slot A 1.0.0"), l);
    }

    @Test
    void anUpdatedDeviceLineWithoutCodeOrTextIsRead() {
        DeviceLine l = DeviceLine.parse("device=s1 type=acme-sensor result=UPDATED version=1.1.0 release=1.1.0").orElseThrow();
        assertEquals(null, l.code());
        assertEquals(null, l.text());
    }

    @Test
    void otherLinesAreNoDeviceLines() {
        assertTrue(DeviceLine.parse("downloading acme-fw 1.1.0").isEmpty());
        assertTrue(DeviceLine.parse("SOME_DEVICES_FAILED: 2 of 3 devices run 1.1.0").isEmpty());
        assertTrue(DeviceLine.parse("device=s1 type=acme-sensor result=PWNED version=1 release=1").isEmpty(), "unknown result");
        assertTrue(DeviceLine.parse("device=s 1 type=acme-sensor result=UPDATED version=1 release=1").isEmpty());
        assertTrue(DeviceLine.parse("device=" + "x".repeat(65) + " type=t result=UPDATED version=1 release=1").isEmpty());
    }
}
