package io.gantry.localddi.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *
 * <p>The agent's take-up of an action ({@link #offer}) and the device's report ({@link #feedback})
 * run under one lock, and a final report nobody waits for (the offer was restored after a restart)
 * is kept, on disk in the same record that held the offer, until a take-up of that same action
 * claims it. So whichever comes first, the device's result reaches the agent exactly once: a take-up
 * after the report gets the result without offering anything anew; a take-up before it adopts the
 * open offer and waits for the report.
 */
final class DeviceOffers {
    /** Progress lines kept per deployment (a device may report many). */
    static final int MAX_PROGRESS = 64;
    private static final System.Logger LOG = System.getLogger(DeviceOffers.class.getName());
    /** Open offers by device (guarded by {@code this}). */
    private final Map<String, Offer> offers = new HashMap<>();
    /** Final reports nobody waited for, by device, until a take-up of the same action claims one (guarded by {@code this}). */
    private final Map<String, OfferRecords.Stored> unclaimed = new HashMap<>();
    private final Map<String, String> installed = new ConcurrentHashMap<>();
    /** Where offers are kept across restarts, or {@code null} (memory only). */
    private final OfferRecords records;

    /** Offers held in memory only. */
    DeviceOffers() {
        this.records = null;
    }

    /**
     * Offers kept in {@code records}, restoring those stored before: an offer whose artifact is no
     * longer in the cache with its signed digest is dropped (logged); a result nobody claimed yet
     * is kept for the take-up of its action (it offers nothing, so it needs no artifact).
     */
    DeviceOffers(OfferRecords records, ArtifactCache cache) throws IOException {
        this.records = records;
        installed.putAll(records.installed());
        for (OfferRecords.Stored s : records.all()) {
            if (!s.open()) {
                restoreResult(s);
                continue;
            }
            CachedArtifact artifact;
            try (ArtifactCache.Served served = cache.open(s.sha256())) {
                artifact = served.artifact();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "offer of {0} {1} to {2} not restored: {3}", s.name(), s.version(),
                        s.deviceId(), e.getMessage());
                records.remove(s.deviceId());
                continue;
            }
            offers.put(s.deviceId(), new Offer(s.deviceId(), s.actionId(), s.name(), s.version(), s.filename(), artifact));
            LOG.log(System.Logger.Level.INFO, "offer of {0} {1} to {2} restored as action {3}", s.name(), s.version(),
                    s.deviceId(), Long.toString(s.actionId()));
        }
    }

    /** The result is written before the confirmed version: a stop between the two is finished here. */
    private void restoreResult(OfferRecords.Stored s) throws IOException {
        unclaimed.put(s.deviceId(), s);
        if ("success".equals(s.closed()) && !s.version().equals(installed.get(s.deviceId()))) {
            installed.put(s.deviceId(), s.version());
            records.storeInstalled(installed);
        }
        LOG.log(System.Logger.Level.INFO, "result {0} of {1} {2} on {3} (action {4}) restored for the agent", s.closed(),
                s.name(), s.version(), s.deviceId(), Long.toString(s.actionId()));
    }

    /**
     * One deployment on offer. Its {@code outcome} completes once, with the device's final report;
     * {@code waiters} counts the take-ups waiting for it (none for an offer restored after a restart).
     */
    static final class Offer {
        private final String deviceId;
        private final long actionId;
        private final String name;
        private final String version;
        private final String filename;
        private final CachedArtifact artifact;
        private final CompletableFuture<DeviceUpdateResult> outcome = new CompletableFuture<>();
        private final List<String> progress = new ArrayList<>();
        /** Take-ups waiting for the outcome (guarded by the {@link DeviceOffers} lock). */
        private int waiters;

        /**
         * @param actionId the DDI action id, stable for the same device and artifact (a gateway restart
         *     offers the same id again, so a device confirming after its reboot finds its action)
         */
        Offer(String deviceId, long actionId, String name, String version, String filename, CachedArtifact artifact) {
            this.deviceId = deviceId;
            this.actionId = actionId;
            this.name = name;
            this.version = version;
            this.filename = filename;
            this.artifact = artifact;
        }

        String deviceId() {
            return deviceId;
        }

        long actionId() {
            return actionId;
        }

        String name() {
            return name;
        }

        String version() {
            return version;
        }

        String filename() {
            return filename;
        }

        CachedArtifact artifact() {
            return artifact;
        }

        CompletableFuture<DeviceUpdateResult> outcome() {
            return outcome;
        }

        /** @return a copy of the device's progress lines so far */
        List<String> progress() {
            synchronized (progress) {
                return List.copyOf(progress);
            }
        }

        private void progress(String line) {
            synchronized (progress) {
                if (progress.size() < MAX_PROGRESS) {
                    progress.add(line);
                }
            }
        }

        private boolean sameAction(long id, String sha256, String v) {
            return actionId == id && artifact.sha256().equals(sha256) && version.equals(v);
        }

        @Override
        public String toString() {
            return "Offer[" + deviceId + ", action " + actionId + ", " + name + " " + version + ", " + artifact.sha256() + "]";
        }
    }

    /**
     * The agent takes up a deployment for a device; the caller waits for the returned offer's
     * outcome, and calls {@link #withdraw} or {@link #stopWaiting} if it stops waiting. If the
     * device already reported this same action (same device, signed digest and version) closed and
     * nobody took the result yet, that result is returned, completed, and nothing is offered. If
     * this action is on offer already (restored after a restart, or taken up before), that offer is
     * adopted. Otherwise a new offer replaces any earlier one (which then fails).
     */
    synchronized Offer offer(String deviceId, String name, String version, String filename, CachedArtifact artifact) {
        long id = actionId(deviceId, artifact.sha256(), version);
        OfferRecords.Stored result = unclaimed.get(deviceId);
        if (result != null && result.actionId() == id && result.sha256().equals(artifact.sha256())
                && result.version().equals(version)) {
            unclaimed.remove(deviceId);
            persist(() -> records.remove(deviceId));
            Offer done = new Offer(deviceId, id, name, version, filename, artifact);
            complete(done, result);
            LOG.log(System.Logger.Level.INFO, "action {0} for {1}: the device already reported it closed ({2}), taken as its result",
                    Long.toString(id), deviceId, result.closed());
            return done;
        }
        Offer open = offers.get(deviceId);
        if (open != null && open.sameAction(id, artifact.sha256(), version)) {
            open.waiters++;
            LOG.log(System.Logger.Level.INFO, "action {0} for {1}: already on offer, adopted", Long.toString(id), deviceId);
            return open;
        }
        Offer o = new Offer(deviceId, id, name, version, filename, artifact);
        o.waiters = 1;
        offers.put(deviceId, o);
        unclaimed.remove(deviceId);
        persist(() -> records.store(new OfferRecords.Stored(deviceId, id, name, version, filename, artifact.sha256())));
        LOG.log(System.Logger.Level.INFO, "action {0} for {1}: offered{2}", Long.toString(id), deviceId,
                open == null ? "" : ", replacing action " + open.actionId);
        if (open != null) {
            open.outcome.completeExceptionally(new DeviceUpdateException(DeviceFailureCode.DEVICE_IO,
                    "superseded by " + name + " " + version));
        }
        return o;
    }

    /** @return the deployment on offer to the device, if any */
    synchronized Optional<Offer> current(String deviceId) {
        return Optional.ofNullable(offers.get(deviceId));
    }

    /**
     * A take-up gave up waiting: once no take-up waits any more, the deployment is withdrawn if it
     * is still the one on offer.
     */
    synchronized void withdraw(Offer o) {
        o.waiters = Math.max(0, o.waiters - 1);
        if (o.waiters == 0 && offers.remove(o.deviceId, o)) {
            persist(() -> records.remove(o.deviceId));
        }
    }

    /**
     * A take-up stops waiting but the offer stays (the gateway is stopping): a final report that
     * comes with nobody waiting is kept for the next take-up of the action.
     */
    synchronized void stopWaiting(Offer o) {
        o.waiters = Math.max(0, o.waiters - 1);
    }

    /** @return digests of the artifacts on offer: the cache keeps them */
    synchronized Set<String> pinned() {
        Set<String> out = new HashSet<>();
        offers.values().forEach(o -> out.add(o.artifact.sha256()));
        return out;
    }

    /** @return the version the device last confirmed through this gateway, or {@code unknown} */
    String installedVersion(String deviceId) {
        return installed.getOrDefault(deviceId, "unknown");
    }

    /**
     * Records a device's feedback on its deployment. A final report is written (the offer's record
     * becomes its result) before anyone learns of it; with a take-up waiting it completes the
     * outcome and the record goes, else it waits for the take-up of the action.
     *
     * @return false if the action is not the one on offer to the device (a repeat of a final report
     *     still waiting to be claimed is taken, and changes nothing)
     */
    synchronized boolean feedback(String deviceId, long actionId, String execution, String finished, List<String> details) {
        Offer o = offers.get(deviceId);
        if (o == null || o.actionId != actionId) {
            OfferRecords.Stored result = unclaimed.get(deviceId);
            return result != null && result.actionId() == actionId && "closed".equals(execution)
                    && result.closed().equals(finished);
        }
        String line = execution + "/" + finished + (details.isEmpty() ? "" : ": " + String.join(" | ", details));
        o.progress(line);
        LOG.log(System.Logger.Level.INFO, "device {0} action {1}: {2}", deviceId, Long.toString(actionId), line);
        if (!"closed".equals(execution) || !("success".equals(finished) || "failure".equals(finished))) {
            return true;
        }
        boolean success = "success".equals(finished);
        OfferRecords.Stored result = new OfferRecords.Stored(deviceId, actionId, o.name, o.version, o.filename,
                o.artifact.sha256(), finished, success ? installedVersion(deviceId) : null, String.join(" | ", details));
        offers.remove(deviceId, o);
        persist(() -> records.store(result));
        if (success) {
            installed.put(deviceId, o.version);
            persist(() -> records.storeInstalled(installed));
        }
        if (o.waiters > 0) {
            persist(() -> records.remove(deviceId));
        } else {
            unclaimed.put(deviceId, result);
            LOG.log(System.Logger.Level.INFO, "device {0} action {1}: no take-up waits, the result is kept for the agent",
                    deviceId, Long.toString(actionId));
        }
        complete(o, result);
        return true;
    }

    private static void complete(Offer o, OfferRecords.Stored result) {
        if ("success".equals(result.closed())) {
            String previous = result.previousVersion() == null ? "unknown" : result.previousVersion();
            o.outcome.complete(new DeviceUpdateResult(o.deviceId, previous, o.version, "swupdate"));
        } else {
            o.outcome.completeExceptionally(new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED,
                    "swupdate reported failure: " + Objects.toString(result.details(), "")));
        }
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
