package io.gantry.localddi.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the local endpoint offers each device: at most one deployment per device, and the device's
 * progress and final report on it. A deployment ends when the device reports it closed
 * ({@code success} or {@code failure}); only then does the device see no deployment again. With
 * {@link OfferRecords} the offers and confirmed versions survive a gateway restart: a restored
 * offer names its artifact by the signed digest and is kept only if the cache still holds those
 * exact bytes; a device mid-update keeps seeing its deployment and can report on it.
 */
final class DeviceOffers {
    /** Progress lines kept per deployment (a device may report many). */
    static final int MAX_PROGRESS = 64;
    private static final System.Logger LOG = System.getLogger(DeviceOffers.class.getName());
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, String> installed = new ConcurrentHashMap<>();
    /** Where offers are kept across restarts, or {@code null} (memory only). */
    private final OfferRecords records;

    /** Offers held in memory only. */
    DeviceOffers() {
        this.records = null;
    }

    /**
     * Offers kept in {@code records}, restoring those stored before: an offer whose artifact is no
     * longer in the cache with its signed digest is dropped (logged).
     */
    DeviceOffers(OfferRecords records, ArtifactCache cache) throws IOException {
        this.records = records;
        installed.putAll(records.installed());
        for (OfferRecords.Stored s : records.all()) {
            CachedArtifact artifact;
            try (ArtifactCache.Served served = cache.open(s.sha256())) {
                artifact = served.artifact();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "offer of {0} {1} to {2} not restored: {3}", s.name(), s.version(),
                        s.deviceId(), e.getMessage());
                records.remove(s.deviceId());
                continue;
            }
            offers.put(s.deviceId(), new Offer(s.deviceId(), s.actionId(), s.name(), s.version(), s.filename(), artifact,
                    new CompletableFuture<>(), new ArrayList<>()));
            LOG.log(System.Logger.Level.INFO, "offer of {0} {1} to {2} restored as action {3}", s.name(), s.version(),
                    s.deviceId(), Long.toString(s.actionId()));
        }
    }

    /**
     * One deployment on offer.
     *
     * @param actionId the DDI action id, stable for the same device and artifact (a gateway restart
     *     offers the same id again, so a device confirming after its reboot finds its action)
     */
    record Offer(String deviceId, long actionId, String name, String version, String filename, CachedArtifact artifact,
            CompletableFuture<DeviceUpdateResult> outcome, List<String> progress) {
    }

    /** Offers a deployment to a device, replacing any earlier one (which then fails). */
    Offer offer(String deviceId, String name, String version, String filename, CachedArtifact artifact) {
        Offer o = new Offer(deviceId, actionId(deviceId, artifact.sha256(), version), name, version, filename, artifact,
                new CompletableFuture<>(), new ArrayList<>());
        Offer old = offers.put(deviceId, o);
        persist(() -> records.store(new OfferRecords.Stored(deviceId, o.actionId(), name, version, filename,
                artifact.sha256())));
        if (old != null) {
            old.outcome().completeExceptionally(new DeviceUpdateException(DeviceFailureCode.DEVICE_IO,
                    "superseded by " + name + " " + version));
        }
        return o;
    }

    /** @return the deployment on offer to the device, if any */
    Optional<Offer> current(String deviceId) {
        return Optional.ofNullable(offers.get(deviceId));
    }

    /** Withdraws the deployment if it is still the one on offer (the gateway gave up waiting). */
    void withdraw(Offer o) {
        if (offers.remove(o.deviceId(), o)) {
            persist(() -> records.remove(o.deviceId()));
        }
    }

    /** @return digests of the artifacts on offer: the cache keeps them */
    Set<String> pinned() {
        Set<String> out = new HashSet<>();
        offers.values().forEach(o -> out.add(o.artifact().sha256()));
        return out;
    }

    /** @return the version the device last confirmed through this gateway, or {@code unknown} */
    String installedVersion(String deviceId) {
        return installed.getOrDefault(deviceId, "unknown");
    }

    /**
     * Records a device's feedback on its deployment.
     *
     * @return false if the action is not the one on offer to the device
     */
    boolean feedback(String deviceId, long actionId, String execution, String finished, List<String> details) {
        Offer o = offers.get(deviceId);
        if (o == null || o.actionId() != actionId) {
            return false;
        }
        String line = execution + "/" + finished + (details.isEmpty() ? "" : ": " + String.join(" | ", details));
        synchronized (o.progress()) {
            if (o.progress().size() < MAX_PROGRESS) {
                o.progress().add(line);
            }
        }
        LOG.log(System.Logger.Level.INFO, "device {0} action {1}: {2}", deviceId, Long.toString(actionId), line);
        if (!"closed".equals(execution)) {
            return true;
        }
        if ("success".equals(finished)) {
            String previous = installedVersion(deviceId);
            installed.put(deviceId, o.version());
            offers.remove(deviceId, o);
            persist(() -> {
                records.storeInstalled(installed);
                records.remove(deviceId);
            });
            o.outcome().complete(new DeviceUpdateResult(deviceId, previous, o.version(), "swupdate"));
        } else if ("failure".equals(finished)) {
            offers.remove(deviceId, o);
            persist(() -> records.remove(deviceId));
            o.outcome().completeExceptionally(new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED,
                    "swupdate reported failure: " + String.join(" | ", details)));
        }
        return true;
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A record that cannot be written costs only the restart case: logged, the update goes on. */
    private void persist(Write w) {
        if (records == null) {
            return;
        }
        try {
            w.run();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "offer records not written: {0}", e.toString());
        }
    }

    /**
     * A positive 31-bit id from the device, the signed digest and the version: swupdate reads the
     * action id as a C {@code int} and clamps larger ones, then reports on an action that does not exist.
     */
    static long actionId(String deviceId, String sha256, String version) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((deviceId + "\n" + sha256 + "\n" + version)
                    .getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return (v & 0x3fffffffL) + 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
