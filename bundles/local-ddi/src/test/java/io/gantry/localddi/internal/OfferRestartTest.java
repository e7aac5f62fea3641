package io.gantry.localddi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway restart while a device is mid-update: the offer, stored beside the verifying cache, is
 * there again after the restart with the same action id, so the device that installed it and
 * rebooted finds its action and its final report closes it; a confirmed version survives too. An
 * offer whose cached bytes changed meanwhile is not restored (nothing unverified is offered).
 */
class OfferRestartTest {
    @TempDir
    Path dir;
    ArtifactCache cache;
    CachedArtifact artifact;
    final byte[] swu = "a signed .swu image".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void cache() throws Exception {
        cache = new ArtifactCache(dir.resolve("cache"), 1 << 20, 1 << 20, Clock.systemUTC());
        artifact = cache.put(new ArtifactCacheTest.Payload("update.swu", swu), Set.of());
    }

    private DeviceOffers start() throws Exception {
        return new DeviceOffers(new OfferRecords(dir.resolve("cache/offers")), cache);
    }

    @Test
    void anOfferSurvivesARestartAndTheDevicesReportClosesIt() throws Exception {
        DeviceOffers before = start();
        DeviceOffers.Offer offered = before.offer("swu-dev-1", "board-image", "1.0.1", "update.swu", artifact);
        assertTrue(before.feedback("swu-dev-1", offered.actionId(), "proceeding", "none", List.of("Installation in progress")));

        DeviceOffers after = start();
        DeviceOffers.Offer restored = after.current("swu-dev-1").orElseThrow();
        assertEquals(offered.actionId(), restored.actionId());
        assertEquals("1.0.1", restored.version());
        assertEquals(artifact, restored.artifact());
        assertEquals(Set.of(artifact.sha256()), after.pinned(), "the cache keeps what is on offer");
        assertTrue(after.feedback("swu-dev-1", restored.actionId(), "closed", "success", List.of("Update successful")));
        assertTrue(after.current("swu-dev-1").isEmpty());
        assertEquals("1.0.1", after.installedVersion("swu-dev-1"));

        DeviceOffers again = start();
        assertTrue(again.current("swu-dev-1").isEmpty(), "a closed deployment is not offered after the next restart");
        assertEquals("1.0.1", again.installedVersion("swu-dev-1"), "the confirmed version is kept");
    }

    @Test
    void anOfferWhoseCachedBytesChangedIsNotRestored() throws Exception {
        start().offer("swu-dev-1", "board-image", "1.0.1", "update.swu", artifact);
        Files.write(dir.resolve("cache").resolve(artifact.sha256()), "other bytes, same length".getBytes(StandardCharsets.UTF_8));
        DeviceOffers after = start();
        assertTrue(after.current("swu-dev-1").isEmpty());
        assertFalse(Files.exists(dir.resolve("cache/offers/swu-dev-1.offer")), "the record is dropped");
    }

    @Test
    void aFailedDeploymentIsNotOfferedAfterARestart() throws Exception {
        DeviceOffers before = start();
        DeviceOffers.Offer offered = before.offer("swu-dev-1", "board-image", "1.0.1", "update.swu", artifact);
        assertTrue(before.feedback("swu-dev-1", offered.actionId(), "closed", "failure", List.of("bad image")));
        DeviceOffers after = start();
        assertTrue(after.current("swu-dev-1").isEmpty());
        assertEquals("unknown", after.installedVersion("swu-dev-1"));
    }
}
