package io.gantry.agent.internal;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.device.SignedTrustRoot;
import io.gantry.api.failure.FailureCode;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.PayloadChangedException;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.api.verify.WrongTargetException;
import io.gantry.release.ReleaseVersions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies a verified firmware release to every device of its type behind the gateway, with the
 * partial-failure policy of docs/devices.md:
 * <ul>
 * <li>a device already at the release version is not flashed again ({@code CURRENT});</li>
 * <li>a device whose floor (highest version and counter it confirmed) lies above the release is
 * not offered it ({@code FLOOR});</li>
 * <li>every other device is updated; one that fails (no boot confirmation: the plugin reverts its
 * A/B slot) is reported with its own code and the others go on;</li>
 * <li>a device's floor rises when it confirms a boot; the release as a whole succeeds, and the
 * verifier's floor for the device type rises, only when no device failed. Otherwise the action
 * fails ({@code SOME_DEVICES_FAILED}, or the one device code when no device took it) and the next
 * attempt of the same release retries only the failed devices.</li>
 * </ul>
 * Every device is served from one read of the verified staging ({@link PayloadCache}), and each
 * receives the signed metadata and signatures so that it can verify the release itself.
 */
final class DeviceFleetUpdate {
    private static final System.Logger LOG = System.getLogger(DeviceFleetUpdate.class.getName());
    /** Most device lines in a final report (DDI takes 50 detail lines; progress carried each one). */
    static final int MAX_REPORT_LINES = 40;
    /** Longest a plugin may take to list its devices or read one device's version. */
    static final Duration DEVICE_LIST_TIME = Duration.ofSeconds(30);
    /** Longest a plugin may take to flash one device and see it boot. */
    static final Duration DEVICE_UPDATE_TIME = Duration.ofMinutes(15);

    private final List<DownstreamDeviceUpdater> plugins = new CopyOnWriteArrayList<>();
    private final PluginGuard guard = new PluginGuard();
    private final DeviceLedger ledger;
    private final TrustRootChain trustRoots;
    private final PayloadCache cache;
    private final Duration listTime;
    private final Duration updateTime;

    DeviceFleetUpdate(DeviceLedger ledger, TrustRootChain trustRoots, PayloadCache cache, Duration listTime,
            Duration updateTime) {
        this.ledger = ledger;
        this.trustRoots = trustRoots;
        this.cache = cache;
        this.listTime = listTime;
        this.updateTime = updateTime;
    }

    void addPlugin(DownstreamDeviceUpdater plugin) {
        plugins.add(plugin);
    }

    void removePlugin(DownstreamDeviceUpdater plugin) {
        plugins.remove(plugin);
    }

    /** A plugin whose {@code deviceType()} throws serves nothing, and stops no other plugin. */
    private static boolean servesType(DownstreamDeviceUpdater plugin, String type) {
        try {
            return type.equals(plugin.deviceType());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a plugin failed to name its device type: {0}", e.toString());
            return false;
        }
    }

    /**
     * @param release the verified firmware release
     * @param signedMetadata the exact metadata bytes the verifier checked
     * @param signatures the signature envelope the verifier checked
     * @param progress where per-device lines go as they happen
     * @return the report lines, one per device
     * @throws UpdateFailedException if any device failed (per-device lines in a {@link DeviceFleetException} cause)
     */
    List<String> update(VerifiedRelease release, byte[] signedMetadata, byte[] signatures, DeviceProgress progress)
            throws UpdateFailedException, WrongTargetException {
        ReleaseMetadata m = release.metadata();
        DownstreamDeviceUpdater plugin = plugins.stream().filter(p -> servesType(p, m.target()))
                .findFirst().orElseThrow(() -> new WrongTargetException(m.target(), "no plugin for that device type here"));
        List<String> deviceIds;
        try {
            deviceIds = guard.call(PluginGuard.key(m.target(), plugin), "deviceIds", listTime, plugin::deviceIds).value();
        } catch (DeviceUpdateException e) {
            throw ReleaseApplier.failure(release, e.code(), "listing devices: " + e.getMessage(), e);
        }
        if (deviceIds == null || deviceIds.isEmpty()) {
            throw new UpdateFailedException(UpdateFailureCode.NO_DEVICE, "no " + m.target() + " device attached", null);
        }
        try {
            List<VerifiedPayload> images = serve(release);
            List<SignedTrustRoot> rotations = trustRoots.list();
            Outcome outcome = new Outcome();
            for (String deviceId : deviceIds) {
                updateOne(plugin, m, deviceId, new DeviceUpdateRequest(deviceId, m, signedMetadata, signatures, images,
                        rotations), outcome, progress);
            }
            return outcome.finish(release, deviceIds.size());
        } finally {
            cache.clear();
        }
    }

    /**
     * Keeps a trust root the verifier just installed, for the devices that rotate their own keys
     * along (handed to them with every update from then on).
     *
     * @return the report lines
     */
    List<String> trustRootInstalled(VerifiedRelease release, long version) {
        List<String> lines = new ArrayList<>();
        lines.add("trust root now version " + version);
        try {
            trustRoots.keep(release, version);
        } catch (IOException e) {
            // The gateway runs the new root; devices keep theirs until a later root reaches them.
            LOG.log(System.Logger.Level.WARNING, "trust root {0} not kept for the devices: {1}", version, e.toString());
            lines.add("WARNING trust root " + version + " not kept for the devices behind the gateway: " + e.getMessage());
        }
        return lines;
    }

    private List<VerifiedPayload> serve(VerifiedRelease release) throws UpdateFailedException {
        List<VerifiedPayload> images = new ArrayList<>();
        for (VerifiedPayload p : release.payloads()) {
            try {
                images.add(cache.serve(p));
            } catch (PayloadChangedException e) {
                throw ReleaseApplier.failure(release, DeviceFailureCode.DEVICE_IO, "reading the verified image: "
                        + e.getMessage(), e);
            } catch (IOException e) {
                // The cache only saves reads: each device then reads the staging copy itself.
                LOG.log(System.Logger.Level.WARNING, "payload {0} not cached: {1}", p.info().name(), e.toString());
                images.add(p);
            }
        }
        return images;
    }

    private void updateOne(DownstreamDeviceUpdater plugin, ReleaseMetadata m, String deviceId, DeviceUpdateRequest request,
            Outcome outcome, DeviceProgress progress) {
        String type = m.target();
        Optional<DeviceLedger.Floor> floor = ledger.floor(type, deviceId);
        if (floor.isPresent() && floor.get().refuses(m.version(), m.securityCounter())) {
            outcome.ok(progress, new DeviceLine(deviceId, type, DeviceLine.Result.FLOOR, floor.get().version(), m.version(),
                    null, "confirmed " + floor.get().version() + " (counter " + floor.get().counter() + "): not offered lower"));
            return;
        }
        String running = "-";
        try {
            running = guard.call(PluginGuard.key(type, plugin), "firmwareVersion " + deviceId, listTime,
                    () -> plugin.firmwareVersion(deviceId)).value();
            Optional<Long> at = ordinal(running);
            if (at.isPresent() && at.get() >= ReleaseVersions.ordinal(m.version())) {
                boolean same = at.get() == ReleaseVersions.ordinal(m.version());
                if (same) {
                    ledger.confirmed(type, deviceId, m.version(), m.securityCounter());
                }
                outcome.ok(progress, new DeviceLine(deviceId, type, same ? DeviceLine.Result.CURRENT : DeviceLine.Result.FLOOR,
                        running, m.version(), null, same ? "already runs it: not flashed again" : "runs a newer version"));
                return;
            }
            progress.deviceProgress(new DeviceLine(deviceId, type, DeviceLine.Result.UPDATING, running, m.version(), null,
                    null).format());
            PluginGuard.Outcome<DeviceUpdateResult> called = guard.call(PluginGuard.key(type, plugin), "update " + deviceId, updateTime,
                    () -> plugin.update(request));
            DeviceUpdateResult r = called.value();
            ledger.confirmed(type, deviceId, m.version(), m.securityCounter());
            outcome.ok(progress, new DeviceLine(deviceId, type, DeviceLine.Result.UPDATED, r.newVersion(), m.version(), null,
                    r.previousVersion() + " -> " + r.newVersion() + ", booted slot " + r.activeSlot() + ", boot confirmed"));
            if (!called.leftThreads().isEmpty()) {
                outcome.warning("plugin " + type + " left threads running: " + called.leftThreads());
            }
        } catch (DeviceUpdateException e) {
            outcome.failed(progress, new DeviceLine(deviceId, type, DeviceLine.Result.FAILED, running, m.version(), e.code(),
                    e.getMessage()), e);
        } catch (UpdateFailedException e) {
            outcome.failed(progress, new DeviceLine(deviceId, type, DeviceLine.Result.FAILED, running, m.version(), e.code(),
                    e.getMessage()), e);
        } catch (IOException e) {
            // The device confirmed but its floor could not be stored: the next attempt finds it CURRENT.
            outcome.failed(progress, new DeviceLine(deviceId, type, DeviceLine.Result.FAILED, m.version(), m.version(),
                    UpdateFailureCode.ROLLBACK_FLOOR_NOT_RECORDED, e.getMessage()), e);
        }
    }

    private static Optional<Long> ordinal(String version) {
        try {
            return Optional.of(ReleaseVersions.ordinal(version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The lines of one release over all devices. */
    private static final class Outcome {
        private final List<String> ok = new ArrayList<>();
        private final List<String> failed = new ArrayList<>();
        private final List<String> failedIds = new ArrayList<>();
        private final List<FailureCode> codes = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private Exception firstCause;
        private String firstText;

        void ok(DeviceProgress progress, DeviceLine line) {
            LOG.log(System.Logger.Level.INFO, line.format());
            ok.add(line.format());
            progress.deviceProgress(line.format());
        }

        void failed(DeviceProgress progress, DeviceLine line, Exception cause) {
            LOG.log(System.Logger.Level.WARNING, line.format());
            failed.add(line.format());
            failedIds.add(line.deviceId());
            codes.add(line.code());
            if (firstCause == null) {
                firstCause = cause;
                firstText = line.text();
            }
            progress.deviceProgress(line.format());
        }

        void warning(String line) {
            LOG.log(System.Logger.Level.WARNING, line);
            warnings.add(line);
        }

        List<String> finish(VerifiedRelease release, int devices) throws UpdateFailedException {
            List<String> lines = new ArrayList<>(failed);
            lines.addAll(ok);
            if (lines.size() > MAX_REPORT_LINES) {
                int more = lines.size() - MAX_REPORT_LINES;
                lines = new ArrayList<>(lines.subList(0, MAX_REPORT_LINES));
                lines.add("... " + more + " more devices (each was reported in progress feedback)");
            }
            lines.addAll(warnings);
            if (failed.isEmpty()) {
                return lines;
            }
            boolean oneCode = codes.stream().distinct().count() == 1;
            FailureCode code = ok.isEmpty() && oneCode ? codes.get(0) : DeviceFailureCode.SOME_DEVICES_FAILED;
            StringBuilder message = new StringBuilder().append(devices - failed.size()).append(" of ").append(devices)
                    .append(' ').append(release.metadata().target()).append(" devices run ")
                    .append(release.metadata().version()).append("; failed:");
            for (int i = 0; i < Math.min(5, failedIds.size()); i++) {
                message.append(' ').append(failedIds.get(i)).append(' ').append(codes.get(i));
            }
            if (failedIds.size() > 5) {
                message.append(" and ").append(failedIds.size() - 5).append(" more");
            }
            message.append(" (").append(failedIds.get(0)).append(": ").append(firstText).append(')');
            throw ReleaseApplier.failure(release, code, message.toString(),
                    new DeviceFleetException(message.toString(), lines, firstCause));
        }
    }
}
