package io.gantry.localddi.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.VerifiedPayload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Linux devices behind the gateway that run stock SWUpdate in suricatta mode. The agent hands this
 * updater only FIRMWARE releases its verifier accepted against the gateway's trust root; the
 * updater copies the {@code .swu} payload into the verifying cache through the verifier's
 * re-checking stream, offers it to the device on the local hawkBit DDI endpoint, and returns when
 * the device reports the deployment closed (after its confirming restart), or fails with a code.
 */
@Component(configurationPid = "io.gantry.localddi", configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SwupdateDeviceUpdater implements DownstreamDeviceUpdater {
    private static final System.Logger LOG = System.getLogger(SwupdateDeviceUpdater.class.getName());
    private final String deviceType;
    private final List<String> deviceIds;
    private final ArtifactCache cache;
    private final DeviceOffers offers;
    private final LocalDdiServer server;
    private final Duration deviceTimeout;

    /** Starts the local endpoint; a bad configuration fails the activation (the component stays unsatisfied, logged by SCR). */
    @Activate
    public SwupdateDeviceUpdater(LocalDdiConfig config) throws IOException, GeneralSecurityException {
        this.deviceType = config.deviceType();
        Set<String> ids = new LinkedHashSet<>(List.of(config.deviceIds()));
        if (ids.isEmpty() || config.pollSeconds() < 1 || config.deviceTimeoutMinutes() < 1) {
            throw new IllegalArgumentException("io.gantry.localddi needs deviceIds, pollSeconds >= 1 and deviceTimeoutMinutes >= 1");
        }
        this.deviceIds = List.copyOf(ids);
        this.deviceTimeout = Duration.ofMinutes(config.deviceTimeoutMinutes());
        this.cache = new ArtifactCache(Path.of(config.cacheDir()), config.cacheMaxBytes(), config.artifactMaxBytes(),
                Clock.systemUTC());
        this.offers = new DeviceOffers(new OfferRecords(Path.of(config.cacheDir()).resolve("offers")), cache);
        if (config.crlRefreshSeconds() < 1 || config.crlGraceMinutes() < 0) {
            throw new IllegalArgumentException("io.gantry.localddi needs crlRefreshSeconds >= 1 and crlGraceMinutes >= 0");
        }
        List<X509Certificate> deviceCas = LocalDdiServer.readCertificates(Path.of(config.clientCaPath()));
        DeviceCrlCache revocation = new DeviceCrlCache(Clock.systemUTC(), Duration.ofSeconds(config.crlRefreshSeconds()),
                Duration.ofMinutes(config.crlGraceMinutes()));
        this.server = LocalDdiServer.start(new InetSocketAddress(config.listenAddress(), config.port()),
                LocalDdiServer.tls(Path.of(config.serverKeyStorePath()), Path.of(config.serverPasswordFile()), deviceCas),
                new DdiHandler(config.tenant(), ids, offers, cache, config.pollSeconds(), revocation, deviceCas));
        LOG.log(System.Logger.Level.INFO, "local DDI endpoint for {0} devices {1} on https://{2}:{3}", deviceType, deviceIds,
                server.address().getHostString(), Integer.toString(server.address().getPort()));
    }

    @Deactivate
    void stop() {
        server.close();
    }

    @Override
    public String deviceType() {
        return deviceType;
    }

    @Override
    public List<String> deviceIds() {
        return deviceIds;
    }

    /** @return the version the device last confirmed through this gateway, {@code unknown} before its first */
    @Override
    public String firmwareVersion(String deviceId) throws DeviceUpdateException {
        known(deviceId);
        return offers.installedVersion(deviceId);
    }

    private void known(String deviceId) throws DeviceUpdateException {
        if (!deviceIds.contains(deviceId)) {
            throw new DeviceUpdateException(DeviceFailureCode.NO_SUCH_DEVICE, deviceId + " is not configured here");
        }
    }

    /**
     * The device checks the CMS signature of the {@code .swu} itself; the Gantry signatures in the
     * request were checked by the gateway's verifier (a stock SWUpdate device cannot read them).
     */
    @Override
    public DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException {
        String deviceId = request.deviceId();
        known(deviceId);
        ReleaseMetadata m = request.metadata();
        if (m.kind() != ReleaseKind.FIRMWARE || !deviceType.equals(m.target())) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "not a firmware release for " + deviceType);
        }
        List<VerifiedPayload> payloads = request.images();
        if (payloads.size() != 1 || !payloads.get(0).info().name().endsWith(".swu")) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED,
                    "a release for SWUpdate devices carries exactly one .swu payload");
        }
        VerifiedPayload swu = payloads.get(0);
        CachedArtifact artifact;
        try {
            artifact = cache.put(swu, offers.pinned());
        } catch (IOException e) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "artifact cache: " + e.getMessage());
        }
        // Takes the device's result if it already reported this action closed (its offer restored
        // after a gateway restart), or adopts the open offer of this action: never offered twice.
        DeviceOffers.Offer offer = offers.offer(deviceId, m.name(), m.version(), swu.info().name(), artifact);
        LOG.log(System.Logger.Level.INFO, "{0} {1} ({2}) taken up for {3} as action {4}", m.name(), m.version(),
                artifact.sha256(), deviceId, Long.toString(offer.actionId()));
        try {
            return offer.outcome().get(deviceTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeviceUpdateException d) {
                throw d;
            }
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "device " + deviceId + ": " + e.getCause());
        } catch (TimeoutException e) {
            offers.withdraw(offer);
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "device " + deviceId + " did not report the deployment "
                    + "closed within " + deviceTimeout.toMinutes() + " min; last reports: " + offer.progress());
        } catch (InterruptedException e) {
            // The offer stays, on disk too: the gateway is stopping (the next start offers it again, so
            // the device can finish and report), or the agent gave up and its next take-up adopts it
            // or, if the device reported meanwhile, gets its result.
            offers.stopWaiting(offer);
            Thread.currentThread().interrupt();
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "interrupted while device " + deviceId + " updates");
        }
    }
}
