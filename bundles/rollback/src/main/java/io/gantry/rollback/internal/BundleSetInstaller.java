package io.gantry.rollback.internal;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.rollback.RollbackManager;
import io.gantry.api.verify.RollbackException;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.coordinator.BundleSetCoordinator;
import io.gantry.coordinator.BundleSetRequest;
import io.gantry.coordinator.StagedBundle;
import io.gantry.coordinator.TransactionOutcome;
import io.gantry.coordinator.TransactionRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Prepares a verified bundle release as one bundle-set transaction and hands it to the update
 * coordinator: every payload is copied out of the verifier's staging through its re-checking
 * stream, must be the bundle its manifest (central directory) says, and must raise the running
 * version. Only then does the coordinator, outside this bundle, switch the set; it checks each
 * copy again against the signed digest.
 */
@Component
public final class BundleSetInstaller implements RollbackManager {
    private final BundleContext context;
    private final BundleSetCoordinator coordinator;

    @Activate
    public BundleSetInstaller(BundleContext context, @Reference BundleSetCoordinator coordinator) {
        this.context = context;
        this.coordinator = coordinator;
    }

    @Override
    public List<String> submit(VerifiedRelease release, String transactionId) throws InstallFailedException, RollbackException {
        ReleaseMetadata m = release.metadata();
        if (m.kind() != ReleaseKind.BUNDLE || !ReleaseMetadata.GATEWAY_TARGET.equals(m.target()) || release.payloads().isEmpty()) {
            throw failed("not a bundle release for the gateway: " + m.name(), null);
        }
        Path dir = context.getDataFile("staging").toPath().resolve(transactionId.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(dir);
            List<StagedBundle> staged = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (VerifiedPayload p : release.payloads()) {
                BundleManifestCheck.StagedJar jar = BundleManifestCheck.stage(p, dir.resolve(p.info().name()));
                if (release.payloads().size() == 1) {
                    BundleManifestCheck.requireMatches(jar, m.name(), Version.parseVersion(m.version()));
                }
                if (!names.add(jar.symbolicName())) {
                    throw failed("the release carries bundle " + jar.symbolicName() + " twice", null);
                }
                Bundle running = find(jar.symbolicName());
                if (running != null && jar.version().compareTo(running.getVersion()) <= 0) {
                    throw new RollbackException("bundle version of " + jar.symbolicName(), running.getVersion().toString(),
                            jar.version().toString());
                }
                staged.add(new StagedBundle(jar.symbolicName(), jar.version().toString(), jar.jar(), p.info().sha256()));
                lines.add(running == null ? "installing bundle " + jar.symbolicName() + " " + jar.version()
                        : "updating bundle " + jar.symbolicName() + " " + running.getVersion() + " -> " + jar.version());
            }
            coordinator.submit(new BundleSetRequest(transactionId, m.name() + " " + m.version(), staged));
            return lines;
        } catch (TransactionRefusedException e) {
            throw new InstallFailedException(code(e.code()), e.getMessage(), false, e);
        } catch (IOException e) {
            throw failed("cannot stage " + m.name() + ": " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    @Override
    public Optional<List<String>> outcome(String transactionId) throws InstallFailedException {
        Optional<TransactionOutcome> o = coordinator.outcome(transactionId);
        if (o.isEmpty()) {
            if (!coordinator.knows(transactionId)) {
                throw new InstallFailedException(InstallFailureCode.UPDATE_INTERRUPTED, "the coordinator never started transaction "
                        + transactionId + " (the gateway stopped before it was handed over); nothing was changed", true, null);
            }
            return Optional.empty();
        }
        TransactionOutcome out = o.get();
        return switch (out.result()) {
            case COMMITTED -> Optional.of(out.details());
            case REVERTED -> throw new InstallFailedException(code(out.code()), out.message() + " (" + String.join("; ", out.details()) + ")", true, null);
            case REVERT_FAILED -> throw new InstallFailedException(InstallFailureCode.REVERT_FAILED, out.message(), false, null);
        };
    }

    /** The coordinator speaks the install codes by name; anything else is a plain install failure. */
    private static InstallFailureCode code(String name) {
        try {
            return InstallFailureCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return InstallFailureCode.INSTALL_FAILED;
        }
    }

    private Bundle find(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            files.forEach(BundleManifestCheck::deleteQuietly);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Only verified bytes stay behind; the next transaction uses another folder.
        }
    }

    private static InstallFailedException failed(String message, Throwable cause) {
        return new InstallFailedException(InstallFailureCode.INSTALL_FAILED, message, false, cause);
    }
}
