package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.testing.InMemoryReleases;
import io.gantry.testing.TestReleases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partial-failure policy for the devices behind the gateway: a release reaches every device of
 * its type; failed devices are retried at the next attempt and only they; a device at the release
 * version is never flashed again; per-device floors keep a device from being offered less than it
 * confirmed; every device is served from one read of the staging.
 */
class DeviceFleetUpdateTest {
    private static final String TYPE = "acme-sensor";
    private static final byte[] IMAGE = "ACME-FW 1.1.0\nimage".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final AtomicInteger stagingOpens = new AtomicInteger();

    @Test
    void aFailedDeviceIsRetriedAloneAndUpdatedDevicesAreNeverFlashedAgain() throws Exception {
        FakeDevices devices = new FakeDevices("s1", "s2", "s3");
        devices.faults.put("s2", DeviceFailureCode.BOOT_NOT_CONFIRMED);
        DeviceFleetUpdate fleet = fleet(devices);
        List<String> progress = new ArrayList<>();

        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> fleet.update(release("1.1.0", 3), new byte[1], new byte[1], progress::add));
        assertEquals(DeviceFailureCode.SOME_DEVICES_FAILED, e.code());
        List<String> lines = DeviceFleetException.linesOf(e);
        assertTrue(lines.get(0).startsWith("device=s2 type=acme-sensor result=FAILED version=1.0.0 release=1.1.0"
                + " code=BOOT_NOT_CONFIRMED"), lines.get(0));
        assertTrue(lines.contains(line(lines, "s1")) && line(lines, "s1").contains("result=UPDATED version=1.1.0"), lines.toString());
        assertTrue(line(lines, "s3").contains("result=UPDATED"), lines.toString());
        assertEquals(List.of("s1", "s2", "s3"), devices.flashed);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("device=s2") && l.contains("result=UPDATING")), progress.toString());
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("device=s2") && l.contains("result=FAILED")), progress.toString());

        devices.faults.clear();
        devices.flashed.clear();
        List<String> retried = fleet.update(release("1.1.0", 3), new byte[1], new byte[1], DeviceProgress.NONE);
        assertEquals(List.of("s2"), devices.flashed, "only the failed device is flashed again");
        assertTrue(line(retried, "s1").contains("result=CURRENT"), retried.toString());
        assertTrue(line(retried, "s2").contains("result=UPDATED"), retried.toString());
    }

    @Test
    void aDeviceThatAlreadyRunsTheReleaseIsNotFlashedEvenWithoutAFloor() throws Exception {
        FakeDevices devices = new FakeDevices("s1", "s2");
        devices.versions.put("s1", "1.1.0");
        List<String> lines = fleet(devices).update(release("1.1.0", 0), new byte[1], new byte[1], DeviceProgress.NONE);
        assertEquals(List.of("s2"), devices.flashed);
        assertTrue(line(lines, "s1").contains("result=CURRENT version=1.1.0"), lines.toString());
    }

    @Test
    void aDeviceIsNeverOfferedLessThanItConfirmed() throws Exception {
        DeviceLedger ledger = new DeviceLedger(dir.resolve("floors.properties"));
        ledger.confirmed(TYPE, "s1", "1.2.0", 5);
        ledger.confirmed(TYPE, "s2", "1.0.0", 7);
        FakeDevices devices = new FakeDevices("s1", "s2", "s3");
        devices.versions.put("s1", "1.0.0"); // a device that lies about its version, or was re-imaged: the floor holds
        List<String> lines = fleet(devices, ledger).update(release("1.1.0", 5), new byte[1], new byte[1], DeviceProgress.NONE);
        assertEquals(List.of("s3"), devices.flashed, "s1 confirmed 1.2.0, s2 counter 7: neither is offered 1.1.0 with counter 5");
        assertTrue(line(lines, "s1").contains("result=FLOOR version=1.2.0"), lines.toString());
        assertTrue(line(lines, "s2").contains("result=FLOOR"), lines.toString());
        assertEquals(new DeviceLedger.Floor("1.1.0", 5), ledger.floor(TYPE, "s3").orElseThrow());
    }

    @Test
    void floorsRiseOnlyOnAConfirmedBootAndNeverFall() throws Exception {
        DeviceLedger ledger = new DeviceLedger(dir.resolve("floors.properties"));
        FakeDevices devices = new FakeDevices("s1");
        devices.faults.put("s1", DeviceFailureCode.BOOT_FAILED);
        assertThrows(UpdateFailedException.class, () -> fleet(devices, ledger).update(release("1.1.0", 1), new byte[1],
                new byte[1], DeviceProgress.NONE));
        assertTrue(ledger.floor(TYPE, "s1").isEmpty(), "a device that went back to its old slot keeps no floor");
        ledger.confirmed(TYPE, "s1", "2.0.0", 3);
        ledger.confirmed(TYPE, "s1", "1.5.0", 1);
        assertEquals(new DeviceLedger.Floor("2.0.0", 3), new DeviceLedger(dir.resolve("floors.properties")).floor(TYPE, "s1")
                .orElseThrow(), "kept across restarts, never lowered");
    }

    @Test
    void oneFailedDeviceAloneKeepsItsOwnCode() {
        FakeDevices devices = new FakeDevices("s1");
        devices.faults.put("s1", DeviceFailureCode.FLASH_FULL);
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> fleet(devices).update(release("1.1.0", 0), new byte[1], new byte[1], DeviceProgress.NONE));
        assertEquals(DeviceFailureCode.FLASH_FULL, e.code());
    }

    @Test
    void everyDeviceIsServedFromOneReadOfTheStagingWithTheSignedEvidence() throws Exception {
        FakeDevices devices = new FakeDevices("s1", "s2", "s3", "s4");
        byte[] metadata = "signed".getBytes(StandardCharsets.UTF_8);
        byte[] signatures = "sigs".getBytes(StandardCharsets.UTF_8);
        fleet(devices).update(release("1.1.0", 0), metadata, signatures, DeviceProgress.NONE);
        assertEquals(1, stagingOpens.get(), "4 devices, 1 read of the verified staging");
        assertEquals(4, devices.images.size());
        devices.images.forEach(i -> assertTrue(Arrays.equals(IMAGE, i)));
        assertTrue(Arrays.equals(metadata, devices.requests.get(0).signedMetadata()));
        assertTrue(Arrays.equals(signatures, devices.requests.get(0).signatures()));
    }

    @Test
    void installedTrustRootsAreHandedToEveryDeviceOldestFirst() throws Exception {
        FakeDevices devices = new FakeDevices("s1", "s2");
        DeviceFleetUpdate fleet = fleet(devices);
        assertTrue(fleet.trustRootInstalled(trustRootRelease("root-3"), 3).get(0).contains("version 3"));
        fleet.trustRootInstalled(trustRootRelease("root-2"), 2);
        fleet.update(release("1.1.0", 0), new byte[1], new byte[1], DeviceProgress.NONE);
        for (DeviceUpdateRequest r : devices.requests) {
            assertEquals(List.of("root-2", "root-3"), r.trustRoots().stream()
                    .map(t -> new String(t.trustRoot(), StandardCharsets.UTF_8)).toList());
            assertEquals("root-3 sigs", new String(r.trustRoots().get(1).signatures(), StandardCharsets.UTF_8));
        }
    }

    private static VerifiedRelease trustRootRelease(String content) {
        byte[] root = content.getBytes(StandardCharsets.UTF_8);
        byte[] sigs = (content + " sigs").getBytes(StandardCharsets.UTF_8);
        PayloadInfo r = new PayloadInfo("trust-root.json", TestReleases.sha256(root), root.length);
        PayloadInfo s = new PayloadInfo("trust-root.sigs.json", TestReleases.sha256(sigs), sigs.length);
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "root", "1.0.0", ReleaseKind.TRUST_ROOT,
                ReleaseMetadata.GATEWAY_TARGET, Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 0, "test", List.of(r, s));
        return InMemoryReleases.verified(m, "root", List.of("root1", "root2"),
                List.of(InMemoryReleases.payload(r, root), InMemoryReleases.payload(s, sigs)));
    }

    @Test
    void theCacheKeepsToItsLimitsAndEvictsTheLeastRecentlyUsed() throws Exception {
        PayloadCache cache = new PayloadCache(10, 20);
        cache.serve(payload("a", new byte[8]));
        cache.serve(payload("b", new byte[8]));
        cache.serve(payload("a", new byte[8]));
        cache.serve(payload("c", new byte[8]));
        assertEquals(16, cache.totalBytes(), "b, least recently used, evicted to stay within 20 bytes");
        assertEquals(3, cache.stagingReads());
        cache.serve(payload("a", new byte[8]));
        assertEquals(3, cache.stagingReads(), "a still cached");
        cache.serve(payload("big", new byte[11]));
        assertEquals(16, cache.totalBytes(), "a payload above the entry limit is served from staging, not cached");
        cache.clear();
        assertEquals(0, cache.totalBytes());
    }

    private io.gantry.api.verify.VerifiedPayload payload(String seed, byte[] zeros) {
        byte[] bytes = zeros.clone();
        bytes[0] = (byte) seed.hashCode();
        return InMemoryReleases.payload(new PayloadInfo(seed + ".img", TestReleases.sha256(bytes), bytes.length),
                () -> new ByteArrayInputStream(bytes));
    }

    private static String line(List<String> lines, String device) {
        return lines.stream().filter(l -> l.startsWith("device=" + device + " ")).findFirst().orElse("none for " + device);
    }

    private DeviceFleetUpdate fleet(FakeDevices devices) throws IOException {
        return fleet(devices, new DeviceLedger(dir.resolve("floors.properties")));
    }

    private static DeviceFleetUpdate fleet(FakeDevices devices, DeviceLedger ledger) {
        DeviceFleetUpdate fleet = new DeviceFleetUpdate(ledger, new TrustRootChain(ledger.file().resolveSibling("roots")),
                new PayloadCache(1024, 4096), Duration.ofSeconds(5), Duration.ofSeconds(5));
        fleet.addPlugin(devices);
        return fleet;
    }

    private VerifiedRelease release(String version, long counter) {
        PayloadInfo info = new PayloadInfo("fw.img", TestReleases.sha256(IMAGE), IMAGE.length);
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "acme-fw", version, ReleaseKind.FIRMWARE, TYPE,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(60), counter, "test", List.of(info));
        return InMemoryReleases.verified(m, "releases/1", List.of("alice", "bob"), List.of(InMemoryReleases.payload(info, () -> {
            stagingOpens.incrementAndGet();
            return new ByteArrayInputStream(IMAGE);
        })));
    }

    /** Devices that remember their version and fail with the code they are given. */
    private static final class FakeDevices implements DownstreamDeviceUpdater {
        final List<String> ids;
        final Map<String, String> versions = new HashMap<>();
        final Map<String, DeviceFailureCode> faults = new HashMap<>();
        final List<String> flashed = new ArrayList<>();
        final List<byte[]> images = new ArrayList<>();
        final List<DeviceUpdateRequest> requests = new ArrayList<>();

        FakeDevices(String... ids) {
            this.ids = List.of(ids);
        }

        @Override
        public String deviceType() {
            return TYPE;
        }

        @Override
        public List<String> deviceIds() {
            return ids;
        }

        @Override
        public String firmwareVersion(String deviceId) {
            return versions.getOrDefault(deviceId, "1.0.0");
        }

        @Override
        public synchronized DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException {
            String id = request.deviceId();
            flashed.add(id);
            requests.add(request);
            try (InputStream in = request.images().get(0).open()) {
                images.add(in.readAllBytes());
            } catch (IOException e) {
                throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, e.getMessage());
            }
            DeviceFailureCode fault = faults.get(id);
            if (fault != null) {
                throw new DeviceUpdateException(fault, "injected " + fault);
            }
            String previous = firmwareVersion(id);
            versions.put(id, request.metadata().version());
            return new DeviceUpdateResult(id, previous, request.metadata().version(), "B");
        }
    }
}
