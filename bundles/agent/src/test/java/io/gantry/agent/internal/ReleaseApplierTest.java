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
import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.rollback.RollbackManager;
import io.gantry.api.verify.PayloadChangedException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.testing.InMemoryReleases;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code a failed install reports: the installer's own, unless the staged payload no longer
 * matches its verified digest, which is HASH_MISMATCH (a security event) whatever the installer said.
 */
class ReleaseApplierTest {
    private static final String TYPE = "acme-sensor";

    @Test
    void firmwareWhoseStagedBytesChangedIsHashMismatchNotThePluginsCode() {
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> applier(release(ReleaseKind.FIRMWARE, TYPE, true), failingPlugin(DeviceFailureCode.DEVICE_IO)).apply(SOURCE));
        assertEquals(RejectionCode.HASH_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("DEVICE_IO"), e.getMessage());
    }

    @Test
    void bundleWhoseStagedBytesChangedIsHashMismatchNotTheInstallersCode() {
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> applier(release(ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET, true), failingPlugin(DeviceFailureCode.DEVICE_IO))
                        .apply(SOURCE));
        assertEquals(RejectionCode.HASH_MISMATCH, e.code());
    }

    @Test
    void intactStagedBytesKeepTheInstallersCode() {
        UpdateFailedException device = assertThrows(UpdateFailedException.class,
                () -> applier(release(ReleaseKind.FIRMWARE, TYPE, false), failingPlugin(DeviceFailureCode.DEVICE_REJECTED)).apply(SOURCE));
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, device.code());
        UpdateFailedException bundle = assertThrows(UpdateFailedException.class,
                () -> applier(release(ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET, false), failingPlugin(DeviceFailureCode.DEVICE_IO))
                        .apply(SOURCE));
        assertEquals(InstallFailureCode.HEALTH_CHECK_FAILED, bundle.code());
    }

    @Test
    void aRevertThatFailedStaysRevertFailedAndNamesTheTampering() {
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> applier(release(ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET, true), failingPlugin(DeviceFailureCode.DEVICE_IO),
                        InstallFailureCode.REVERT_FAILED).apply(SOURCE));
        assertEquals(InstallFailureCode.REVERT_FAILED, e.code(), "the most urgent state keeps its code");
        assertTrue(e.getMessage().contains("HASH_MISMATCH"), e.getMessage());
    }

    @Test
    void bytesSwappedForTheInstallAndPutBackAfterwardAreStillHashMismatch() {
        VerifiedRelease genuine = release(ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET, false);
        int[] opens = {0};
        VerifiedPayload swappedOnce = new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return genuine.payloads().get(0).info();
            }

            @Override
            public InputStream open() throws IOException {
                if (opens[0]++ == 0) {
                    throw new PayloadChangedException("staged payload p.bin changed after verification");
                }
                return genuine.payloads().get(0).open();
            }
        };
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> applier(withPayload(genuine, swappedOnce), failingPlugin(DeviceFailureCode.DEVICE_IO)).apply(SOURCE));
        assertEquals(RejectionCode.HASH_MISMATCH, e.code(), "the installer's own read decides, not a later re-read");
    }

    @Test
    void anUnreadableStagedPayloadIsNotCalledTampering() {
        VerifiedRelease gone = release(ReleaseKind.FIRMWARE, TYPE, false);
        VerifiedPayload missing = new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return gone.payloads().get(0).info();
            }

            @Override
            public InputStream open() throws IOException {
                throw new java.nio.file.NoSuchFileException("staging/p.bin");
            }
        };
        UpdateFailedException e = assertThrows(UpdateFailedException.class,
                () -> applier(withPayload(gone, missing), failingPlugin(DeviceFailureCode.DEVICE_IO)).apply(SOURCE));
        assertEquals(DeviceFailureCode.DEVICE_IO, e.code());
    }

    private static VerifiedRelease withPayload(VerifiedRelease r, VerifiedPayload payload) {
        return verified(r.metadata(), payload);
    }

    private static final ReleaseSource SOURCE = new ReleaseSource() {
        @Override
        public byte[] metadata() {
            return new byte[0];
        }

        @Override
        public byte[] signatures() {
            return new byte[0];
        }

        @Override
        public InputStream openPayload(String payloadName) {
            return InputStream.nullInputStream();
        }

        @Override
        public String describe() {
            return "test source";
        }
    };

    private static ReleaseApplier applier(VerifiedRelease release, DownstreamDeviceUpdater plugin) {
        return applier(release, plugin, InstallFailureCode.HEALTH_CHECK_FAILED);
    }

    private static ReleaseApplier applier(VerifiedRelease release, DownstreamDeviceUpdater plugin,
            InstallFailureCode installCode) {
        ReleaseVerifier verifier = new ReleaseVerifier() {
            @Override
            public VerifiedRelease verify(ReleaseSource source) {
                return release;
            }

            @Override
            public void recordInstalled(VerifiedRelease r) {
                throw new AssertionError("a failed install must not raise the floors");
            }

            @Override
            public void recordCommitted(ReleaseSource committed) {
                throw new AssertionError("a failed install must not raise the floors");
            }

            @Override
            public long installTrustRoot(VerifiedRelease r) {
                throw new AssertionError();
            }

            @Override
            public long trustRootVersion() {
                return 1;
            }
        };
        RollbackManager rollback = new RollbackManager() {
            @Override
            public List<String> submit(VerifiedRelease r, String transactionId) throws InstallFailedException {
                try (InputStream in = r.payloads().get(0).open()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // Like the rollback manager when it cannot stage: its own code, the cause attached.
                    throw new InstallFailedException(installCode, "cannot read: " + e.getMessage(), false, e);
                }
                throw new InstallFailedException(installCode, "install failed", false, null);
            }

            @Override
            public java.util.Optional<List<String>> outcome(String transactionId) {
                throw new AssertionError("nothing was handed over");
            }
        };
        ReleaseApplier applier = new ReleaseApplier(verifier, rollback, TestFleets.fleet());
        applier.addPlugin(plugin);
        return applier;
    }

    private static DownstreamDeviceUpdater failingPlugin(DeviceFailureCode code) {
        return new DownstreamDeviceUpdater() {
            @Override
            public String deviceType() {
                return TYPE;
            }

            @Override
            public List<String> deviceIds() {
                return List.of("sensor-1");
            }

            @Override
            public String firmwareVersion(String deviceId) {
                return "1.0.0";
            }

            @Override
            public DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException {
                // Like a vendor plugin: reads the image, then reports its own code, without the cause.
                try (InputStream in = request.images().get(0).open()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new DeviceUpdateException(code, "write failed");
                }
                throw new DeviceUpdateException(code, "device said no");
            }
        };
    }

    /** A verified release whose staged payload, if {@code changed}, fails at end of stream as a re-check does. */
    private static VerifiedRelease release(ReleaseKind kind, String target, boolean changed) {
        PayloadInfo info = new PayloadInfo("p.bin", io.gantry.testing.TestReleases.sha256(new byte[4]), 4);
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "r", "1.1.0", kind, target, Instant.EPOCH,
                Instant.EPOCH.plusSeconds(60), 0, "test", List.of(info));
        return verified(m, InMemoryReleases.payload(info, () -> new FilterInputStream(new ByteArrayInputStream(new byte[4])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0 && changed) {
                    throw new PayloadChangedException("staged payload p.bin changed after verification");
                }
                return n;
            }
        }));
    }

    private static VerifiedRelease verified(ReleaseMetadata m, VerifiedPayload payload) {
        return InMemoryReleases.verified(m, "releases/1", List.of("alice", "bob"), List.of(payload));
    }
}
