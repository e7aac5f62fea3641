package io.gantry.rollback.internal;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.rollback.BundleUpdate;
import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.rollback.RollbackManager;
import io.gantry.api.verify.RollbackException;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Updates gateway bundles in place with a way back. Before an update the running bundle's jar is
 * kept as the previous slot; after the update and a wiring refresh the bundle must be ACTIVE with
 * no failed component, or the previous jar is put back. The jar of every committed version is
 * kept as the current slot, so the next update can always revert.
 */
@Component
public final class BundleSlotManager implements RollbackManager {
    private final BundleContext context;
    private final BundleSlots slots;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime scr;

    @Activate
    public BundleSlotManager(BundleContext context) throws IOException {
        this.context = context;
        this.slots = new BundleSlots(context.getDataFile("slots").toPath());
    }

    @Override
    public synchronized BundleUpdate installBundle(VerifiedRelease release)
            throws InstallFailedException, RollbackException {
        ReleaseMetadata m = release.metadata();
        if (m.kind() != ReleaseKind.BUNDLE || !ReleaseMetadata.GATEWAY_TARGET.equals(m.target())
                || release.payloads().size() != 1) {
            throw failed(InstallFailureCode.INSTALL_FAILED, "not a single-bundle release for the gateway: " + m.name(), false, null);
        }
        VerifiedPayload payload = release.payloads().get(0);
        Version offered = Version.parseVersion(m.version());
        BundleManifestCheck.requireMatches(payload, m.name(), offered);
        Bundle existing = find(m.name());
        if (existing == null) {
            return installFresh(m.name(), payload, offered);
        }
        Version running = existing.getVersion();
        if (offered.compareTo(running) <= 0) {
            throw new RollbackException("bundle version", running.toString(), offered.toString());
        }
        Path previous = slots.keepPrevious(existing);
        try (InputStream in = payload.open()) {
            existing.update(in);
        } catch (BundleException | IOException e) {
            revert(existing, previous, e);
            throw failed(InstallFailureCode.INSTALL_FAILED, "update of " + m.name() + " failed: " + e.getMessage(), true, e);
        }
        String problem = BundleHealth.problem(context, existing, scr);
        if (problem != null) {
            revert(existing, previous, null);
            throw failed(InstallFailureCode.HEALTH_CHECK_FAILED, m.name() + " " + offered + " unhealthy (" + problem
                    + "); reverted to " + running, true, null);
        }
        slots.commit(m.name(), payload);
        return new BundleUpdate(m.name(), running.toString(), existing.getVersion().toString(), false);
    }

    private BundleUpdate installFresh(String name, VerifiedPayload payload, Version offered)
            throws InstallFailedException {
        Bundle b = null;
        try (InputStream in = payload.open()) {
            b = context.installBundle("gantry:" + name, in);
            b.start();
        } catch (BundleException | IOException e) {
            uninstallQuietly(b);
            throw failed(InstallFailureCode.INSTALL_FAILED, "install of " + name + " failed: " + e.getMessage(), true, e);
        }
        String problem = BundleHealth.problem(context, b, scr);
        if (problem != null) {
            uninstallQuietly(b);
            throw failed(InstallFailureCode.HEALTH_CHECK_FAILED, name + " " + offered + " unhealthy (" + problem + "); removed", true, null);
        }
        slots.commit(name, payload);
        return new BundleUpdate(name, "", b.getVersion().toString(), true);
    }

    private void revert(Bundle bundle, Path previous, Exception cause) throws InstallFailedException {
        try (InputStream in = Files.newInputStream(previous)) {
            bundle.update(in);
            BundleHealth.refresh(context, bundle);
        } catch (BundleException | IOException e) {
            InstallFailedException f = failed(InstallFailureCode.REVERT_FAILED, "could not restore " + bundle.getSymbolicName()
                    + ": " + e.getMessage(), false, e);
            if (cause != null) {
                f.addSuppressed(cause);
            }
            throw f;
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

    private static void uninstallQuietly(Bundle b) {
        if (b == null) {
            return;
        }
        try {
            b.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // Already gone or never resolved: nothing left to undo.
        }
    }

    private static InstallFailedException failed(InstallFailureCode code, String message, boolean reverted, Throwable cause) {
        return new InstallFailedException(code, message, reverted, cause);
    }
}
