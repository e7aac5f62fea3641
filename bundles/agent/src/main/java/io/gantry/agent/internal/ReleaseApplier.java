package io.gantry.agent.internal;

import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.failure.FailureCode;
import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.metrics.MetricsSink;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.rollback.RollbackManager;
import io.gantry.api.verify.PayloadChangedException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.RollbackException;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.api.verify.WrongTargetException;
import io.gantry.release.MetadataJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Applies a release: verify first (nothing is touched before the verifier returns proof), then
 * route by kind and signed target: gateway bundles to the rollback manager, which hands them to the
 * update coordinator as one transaction (outside this bundle, which it may replace), firmware to
 * {@link DeviceFleetUpdate} for the devices whose type equals the target. Every failure becomes one stable code.
 * Anti-rollback floors rise only for what committed: firmware at once, a bundle set when
 * {@link #settle} sees it committed.
 */
@Component
public final class ReleaseApplier implements UpdateAgent {
    private static final System.Logger LOG = System.getLogger(ReleaseApplier.class.getName());
    private final ReleaseVerifier verifier;
    private final RollbackManager rollback;

    /** How often {@link #apply} asks the coordinator whether a bundle set has ended. */
    static final Duration SETTLE_POLL = Duration.ofMillis(100);
    /** Firmware for the devices behind the gateway: its own class, with its own policy (docs/devices.md). */
    private final DeviceFleetUpdate devices;

    /** Where verification failures are counted, when the metrics bundle runs (docs/metrics.md). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MetricsSink metrics;

    @Activate
    public ReleaseApplier(@Reference ReleaseVerifier verifier, @Reference RollbackManager rollback, BundleContext context)
            throws IOException {
        this(verifier, rollback, new DeviceFleetUpdate(new DeviceLedger(context.getDataFile("devices/floors.properties").toPath()),
                new TrustRootChain(context.getDataFile("devices/trust-roots").toPath()),
                new PayloadCache(PayloadCache.DEFAULT_MAX_ENTRY, PayloadCache.DEFAULT_MAX_TOTAL),
                DeviceFleetUpdate.DEVICE_LIST_TIME, DeviceFleetUpdate.DEVICE_UPDATE_TIME));
    }

    /** With the device updates given (tests). */
    ReleaseApplier(ReleaseVerifier verifier, RollbackManager rollback, DeviceFleetUpdate devices) {
        this.verifier = verifier;
        this.rollback = rollback;
        this.devices = devices;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPlugin(DownstreamDeviceUpdater plugin) {
        devices.addPlugin(plugin);
    }

    void removePlugin(DownstreamDeviceUpdater plugin) {
        devices.removePlugin(plugin);
    }

    /**
     * Applies and waits: a bundle set is followed on the coordinator until it ends. For callers
     * that are not themselves replaced (tests, a local install); the poller uses {@link #start}.
     */
    @Override
    public UpdateReport apply(ReleaseSource source) throws UpdateFailedException {
        String transactionId = "local-" + UUID.randomUUID();
        Optional<UpdateReport> report = start(source, transactionId);
        try {
            while (report.isEmpty()) {
                // The coordinator offers no callback across its boundary: ask it every so often.
                Thread.sleep(SETTLE_POLL.toMillis());
                report = settle(transactionId, source);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateFailedException(InstallFailureCode.INSTALL_FAILED, "interrupted while transaction " + transactionId
                    + " runs on the coordinator; its outcome stays there", e);
        }
        return report.get();
    }

    @Override
    public Optional<UpdateReport> start(ReleaseSource source, String transactionId) throws UpdateFailedException {
        RecordedReleaseSource recorded = new RecordedReleaseSource(source);
        try (VerifiedRelease release = verifier.verify(recorded)) {
            ReleaseMetadata m = release.metadata();
            LOG.log(System.Logger.Level.INFO, "verified {0} {1} for {2}: {3} signed by {4}", m.name(), m.version(),
                    m.target(), release.role(), release.signerNames());
            List<String> details = switch (m.kind()) {
                case BUNDLE -> {
                    submitBundles(release, transactionId);
                    yield null;
                }
                case FIRMWARE -> recordFloors(release, devices.update(release, recorded.metadata(), recorded.signatures(),
                        DeviceProgress.of(source)));
                case TRUST_ROOT -> devices.trustRootInstalled(release, verifier.installTrustRoot(release));
            };
            return details == null ? Optional.empty() : Optional.of(new UpdateReport(m.name(), m.version(), m.target(), details));
        } catch (ReleaseRejectedException e) {
            MetricsSink sink = metrics;
            if (sink != null) {
                sink.increment(GatewayCounter.VERIFICATION_FAILURES, e.code().name());
            }
            LOG.log(System.Logger.Level.WARNING, "rejected {0}: {1} {2}", source.describe(), e.code(), e.getMessage());
            throw new UpdateFailedException(e.code(), e.getMessage(), e);
        } catch (IOException e) {
            UpdateFailureCode code = causedBy(e, SlowRetrievalException.class) ? UpdateFailureCode.SLOW_RETRIEVAL
                    : causedBy(e, DownloadDeferredException.class) ? UpdateFailureCode.DOWNLOAD_DEFERRED
                    : UpdateFailureCode.DOWNLOAD_FAILED;
            throw new UpdateFailedException(code, "cannot read " + source.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<UpdateReport> settle(String transactionId, ReleaseSource release) throws UpdateFailedException {
        Optional<List<String>> committed;
        try {
            committed = rollback.outcome(transactionId);
        } catch (InstallFailedException e) {
            LOG.log(System.Logger.Level.WARNING, "transaction {0} ended without committing: {1} {2}", transactionId, e.code(), e.getMessage());
            throw new UpdateFailedException(e.code(), e.getMessage(), e);
        }
        if (committed.isEmpty()) {
            return Optional.empty();
        }
        List<String> details = new ArrayList<>(committed.get());
        ReleaseMetadata m;
        try {
            m = MetadataJson.parse(release.metadata());
            verifier.recordCommitted(release);
        } catch (ReleaseRejectedException | IOException e) {
            // The set is live and stays live; say loudly that its floor is not, rather than report a failure.
            LOG.log(System.Logger.Level.ERROR, "anti-rollback floor of transaction {0} not recorded: {1}", transactionId, e.toString());
            details.add("WARNING " + UpdateFailureCode.ROLLBACK_FLOOR_NOT_RECORDED + ": " + e.getMessage());
            return Optional.of(new UpdateReport(transactionId, "", ReleaseMetadata.GATEWAY_TARGET, details));
        }
        details.forEach(line -> LOG.log(System.Logger.Level.INFO, line));
        return Optional.of(new UpdateReport(m.name(), m.version(), m.target(), details));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Only a committed install raises the anti-rollback floors; a revert never does. */
    private List<String> recordFloors(VerifiedRelease release, List<String> details) {
        try {
            verifier.recordInstalled(release);
            return details;
        } catch (IOException e) {
            // The update is live; say loudly that its rollback floor is not, rather than report a failure.
            LOG.log(System.Logger.Level.ERROR, "anti-rollback floor not recorded: {0}", e.toString());
            List<String> withWarning = new ArrayList<>(details);
            withWarning.add("WARNING " + UpdateFailureCode.ROLLBACK_FLOOR_NOT_RECORDED + ": " + e.getMessage());
            return withWarning;
        }
    }

    private void submitBundles(VerifiedRelease release, String transactionId)
            throws UpdateFailedException, WrongTargetException, RollbackException {
        ReleaseMetadata m = release.metadata();
        if (!ReleaseMetadata.GATEWAY_TARGET.equals(m.target())) {
            throw new WrongTargetException(m.target(), "bundle releases must target " + ReleaseMetadata.GATEWAY_TARGET);
        }
        try {
            for (String line : rollback.submit(release, transactionId)) {
                LOG.log(System.Logger.Level.INFO, "transaction {0}: {1}", transactionId, line);
            }
        } catch (InstallFailedException e) {
            throw failure(release, e.code(), e.getMessage(), e);
        }
    }

    /**
     * The code of a failed install. If a staged payload no longer matches its signed digest, the
     * bytes were changed between verification and install (check-then-use): that is the verdict,
     * HASH_MISMATCH, a security event upstream, whatever the installer or plugin called its failure;
     * except REVERT_FAILED, which stays the code (the gateway may need a person now) and names the
     * tampering in its message. A staged payload that cannot be read at all is not tampering: the
     * installer's code stands.
     */
    static UpdateFailedException failure(VerifiedRelease release, FailureCode code, String message, Exception cause) {
        if (causedBy(cause, PayloadChangedException.class)) {
            // The installer itself read changed bytes: that is the verdict, whatever the file holds now.
            return tampered(code, message, cause, "a staged payload changed after verification");
        }
        for (VerifiedPayload p : release.payloads()) {
            try (InputStream in = p.open()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (PayloadChangedException e) {
                return tampered(code, message, cause, "staged payload " + p.info().name()
                        + " no longer matches its verified digest (" + e.getMessage() + ")");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "staged payload {0} unreadable after a failed install: {1}",
                        p.info().name(), e.toString());
            }
        }
        return new UpdateFailedException(code, message, cause);
    }

    private static UpdateFailedException tampered(FailureCode code, String message, Exception cause, String words) {
        return code == InstallFailureCode.REVERT_FAILED
                ? new UpdateFailedException(code, message + "; " + RejectionCode.HASH_MISMATCH + ": " + words, cause)
                : new UpdateFailedException(RejectionCode.HASH_MISMATCH, words + "; the install failed with "
                        + code + ": " + message, cause);
    }
}
