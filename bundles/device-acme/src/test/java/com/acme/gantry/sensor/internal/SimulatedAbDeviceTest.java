package com.acme.gantry.sensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.MetadataJson;
import io.gantry.testing.TestConfigs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated sensors through the plugin: A/B update with boot confirmation, the device's own
 * signature and digest check with the keys provisioned into it (a compromised gateway cannot flash
 * an image nobody signed), and each injectable fault with its stable code.
 */
class SimulatedAbDeviceTest {
    @TempDir
    Path dir;

    private SignedFirmware keys;

    @BeforeEach
    void keys() throws Exception {
        keys = new SignedFirmware(dir);
    }

    private AcmeSensorUpdater plugin(Object... extra) {
        TestConfigs<AcmeSensorConfig> c = TestConfigs.of(AcmeSensorConfig.class).with("devicesDir", dir.resolve("sensors").toString(),
                "deviceCount", 3, "trustRootPath", keys.trustRoot.toString());
        c.with(extra);
        return new AcmeSensorUpdater(c.build(), Clock.systemUTC());
    }

    private Properties state(String id) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("sensors").resolve(id).resolve("boot.properties"))) {
            p.load(in);
        }
        return p;
    }

    @Test
    void simulatesNDevicesAndUpdatesOneThroughItsInactiveSlot() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        assertEquals(List.of("sensor-1", "sensor-2", "sensor-3"), plugin.deviceIds());
        assertEquals("1.0.0", plugin.firmwareVersion("sensor-2"));
        DeviceUpdateResult r = plugin.update(keys.genuine("sensor-2", "1.1.0"));
        assertEquals("B", r.activeSlot());
        assertEquals("1.0.0", r.previousVersion());
        assertEquals("1.1.0", plugin.firmwareVersion("sensor-2"));
        assertEquals("1.0.0", plugin.firmwareVersion("sensor-1"));
        assertEquals(new String(SignedFirmware.image("1.1.0"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("sensors/sensor-2/slot-b.img")));
    }

    @Test
    void theDeviceRefusesAnOlderOrSameVersionOrALowerCounter() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(keys.genuine("sensor-1", "1.0.0"))).code());
        byte[] image = SignedFirmware.image("1.2.0");
        plugin.update(keys.request("sensor-1", SignedFirmware.metadata("1.2.0", 5, image), image, keys.alice, keys.bob));
        byte[] next = SignedFirmware.image("1.3.0");
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(keys.request("sensor-1",
                SignedFirmware.metadata("1.3.0", 4, next), next, keys.alice, keys.bob)));
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, e.code(), "counter 4 below the device's 5");
    }

    @Test
    void aGatewayCannotFlashAnUnsignedImage() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        byte[] image = SignedFirmware.image("9.0.0");
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class,
                () -> plugin.update(keys.request("sensor-1", SignedFirmware.metadata("9.0.0", 0, image), image)));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, e.code());
        assertTrue(e.getMessage().contains("MISSING_SIGNATURE"), e.getMessage());
        assertUntouched("sensor-1");
    }

    @Test
    void aGatewayCannotFlashAnImageSignedByItsOwnKey() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        byte[] image = SignedFirmware.image("9.0.0");
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(
                keys.request("sensor-1", SignedFirmware.metadata("9.0.0", 0, image), image, keys.gatewayKey, keys.alice)));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, e.code());
        assertUntouched("sensor-1");
    }

    @Test
    void aGatewayCannotSwapTheImageOfAGenuineRelease() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        DeviceUpdateRequest genuine = keys.genuine("sensor-1", "1.1.0");
        byte[] evil = SignedFirmware.image("1.1.0");
        evil[evil.length - 2] ^= 1;
        DeviceUpdateRequest swapped = new DeviceUpdateRequest("sensor-1", genuine.metadata(), genuine.signedMetadata(),
                genuine.signatures(), List.of(io.gantry.testing.InMemoryReleases.payload(genuine.images().get(0).info(), evil)),
                List.of());
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(swapped));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, e.code());
        assertTrue(e.getMessage().contains("digest"), e.getMessage());
        assertUntouched("sensor-1");
    }

    @Test
    void aGatewayCannotChangeTheSignedMetadataOrLieAboutIt() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        DeviceUpdateRequest genuine = keys.genuine("sensor-1", "1.1.0");
        byte[] image = SignedFirmware.image("2.0.0");
        ReleaseMetadata forged = SignedFirmware.metadata("2.0.0", 0, image);
        DeviceUpdateRequest tampered = new DeviceUpdateRequest("sensor-1", forged, MetadataJson.write(forged),
                genuine.signatures(), List.of(io.gantry.testing.InMemoryReleases.payload(forged.payloads().get(0), image)),
                List.of());
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(tampered));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, e.code());
        assertUntouched("sensor-1");
        // Parsed metadata that says otherwise than the signed bytes is ignored: the device reads the signed bytes.
        DeviceUpdateRequest lying = new DeviceUpdateRequest("sensor-1", forged, genuine.signedMetadata(),
                genuine.signatures(), genuine.images(), List.of());
        assertEquals("1.1.0", plugin.update(lying).newVersion());
    }

    @Test
    void theDeviceFollowsAGenuineTrustRootRotationAndIgnoresAForgedOne() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        java.security.KeyPair carol = io.gantry.testing.TestReleases.newKey();
        byte[] image = SignedFirmware.image("1.1.0");
        DeviceUpdateRequest byAliceAndCarol = keys.request("sensor-1", SignedFirmware.metadata("1.1.0", 0, image), image,
                keys.alice, carol);
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(byAliceAndCarol)).code(), "carol is no release key of the provisioned root");
        // A root the gateway made up, signed by its own keys: not the successor of the device's root.
        DeviceUpdateRequest forgedRoot = SignedFirmware.withRotations(byAliceAndCarol,
                keys.rotation(2, carol, keys.gatewayKey, carol));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(forgedRoot)).code());
        DeviceUpdateRequest rotated = SignedFirmware.withRotations(byAliceAndCarol, keys.rotation(2, carol, keys.root1, keys.root2));
        assertEquals("1.1.0", plugin.update(rotated).newVersion());
        assertTrue(Files.readString(dir.resolve("sensors/sensor-1/keys/trust-root.json")).contains("\"version\":2"),
                "the device stored the rotated root");
        DeviceUpdateRequest byBob = keys.genuine("sensor-1", "1.2.0");
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(byBob)).code(), "bob was rotated out, also on the device");
    }

    @Test
    void aDeviceWithoutProvisionedKeysAcceptsNothing() throws Exception {
        AcmeSensorUpdater plugin = plugin("trustRootPath", "");
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(keys.genuine("sensor-1", "1.1.0")));
        assertEquals(DeviceFailureCode.SIGNATURE_REJECTED, e.code());
    }

    @Test
    void anInterruptedTransferLeavesNoHalfImage() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        inject("sensor-1", Fault.TRANSFER_INTERRUPTED);
        assertEquals(DeviceFailureCode.TRANSFER_INTERRUPTED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(keys.genuine("sensor-1", "1.1.0"))).code());
        assertUntouched("sensor-1");
        repair("sensor-1");
        assertEquals("1.1.0", plugin.update(keys.genuine("sensor-1", "1.1.0")).newVersion(), "retried once repaired");
    }

    @Test
    void aSlotThatDoesNotBootKeepsTheOldSlot() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        inject("sensor-1", Fault.BOOT_FAILURE);
        assertEquals(DeviceFailureCode.BOOT_FAILED, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(keys.genuine("sensor-1", "1.1.0"))).code());
        assertEquals("a", state("sensor-1").getProperty("active"));
        assertEquals("1.0.0", plugin.firmwareVersion("sensor-1"));
    }

    @Test
    void aBootThatIsNeverConfirmedIsRolledBackToTheOldSlot() throws Exception {
        AcmeSensorUpdater plugin = plugin("faults", new String[] {"sensor-3=NO_CONFIRMATION"});
        DeviceUpdateException e = assertThrows(DeviceUpdateException.class, () -> plugin.update(keys.genuine("sensor-3", "1.1.0")));
        assertEquals(DeviceFailureCode.BOOT_NOT_CONFIRMED, e.code());
        assertTrue(e.getMessage().contains("rolled back to slot A 1.0.0"), e.getMessage());
        Properties s = state("sensor-3");
        assertEquals("a", s.getProperty("active"));
        assertEquals("1.0.0", s.getProperty("version"));
        assertEquals("1", s.getProperty("rollbacks"));
        assertFalse(s.containsKey("trial"));
    }

    @Test
    void aFullFlashRefusesTheImageBeforeWriting() throws Exception {
        AcmeSensorUpdater plugin = plugin();
        inject("sensor-1", Fault.FLASH_FULL);
        assertEquals(DeviceFailureCode.FLASH_FULL, assertThrows(DeviceUpdateException.class,
                () -> plugin.update(keys.genuine("sensor-1", "1.1.0"))).code());
        assertUntouched("sensor-1");
        AcmeSensorUpdater tiny = plugin("slotBytes", 8L);
        assertEquals(DeviceFailureCode.FLASH_FULL, assertThrows(DeviceUpdateException.class,
                () -> tiny.update(keys.genuine("sensor-2", "1.1.0"))).code(), "an image larger than the slot");
    }

    private void inject(String id, Fault fault) throws Exception {
        Path d = Files.createDirectories(dir.resolve("sensors").resolve(id));
        Files.writeString(d.resolve(Fault.FILE), fault.name());
    }

    private void repair(String id) throws Exception {
        Files.delete(dir.resolve("sensors").resolve(id).resolve(Fault.FILE));
    }

    private void assertUntouched(String id) throws Exception {
        Properties s = state(id);
        assertEquals("1.0.0", s.getProperty("version"));
        assertEquals("a", s.getProperty("active"));
        try (var files = Files.list(dir.resolve("sensors").resolve(id))) {
            assertTrue(files.map(p -> p.getFileName().toString()).noneMatch(n -> n.startsWith("slot-b")), "nothing written to slot B");
        }
    }
}
