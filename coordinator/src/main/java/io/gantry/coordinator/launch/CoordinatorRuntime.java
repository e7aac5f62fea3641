package io.gantry.coordinator.launch;

import io.gantry.coordinator.BundleSetCoordinator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;

/**
 * The launcher's handle on the coordinator. Call {@link #recover} after {@code Framework.init()}
 * and before {@code start()}: no bundle runs yet, so an interrupted transaction is completed or
 * reverted before any updated bundle can run. Then {@link #start()} registers the coordinator on
 * the system bundle.
 *
 * <p>The framework must export {@value #SYSTEM_PACKAGES} (property
 * {@code org.osgi.framework.system.packages.extra}) so bundles see the contract.
 */
public final class CoordinatorRuntime implements AutoCloseable {
    /** What the system bundle must export for bundles to use the coordinator. */
    public static final String SYSTEM_PACKAGES = "io.gantry.coordinator;version=\"1.0.0\"";
    private static final System.Logger LOG = System.getLogger(CoordinatorRuntime.class.getName());
    private final BundleContext system;
    private final Coordinator coordinator;
    private final List<Journal> onTrial;
    private final List<String> recovered;
    private ServiceRegistration<BundleSetCoordinator> registration;

    private CoordinatorRuntime(BundleContext system, Coordinator coordinator, List<Journal> onTrial, List<String> recovered) {
        this.system = system;
        this.coordinator = coordinator;
        this.onTrial = onTrial;
        this.recovered = recovered;
    }

    /**
     * Finishes what a stopped gateway left: a set killed before or during the switch or its health
     * gates is put back; one killed while committing is committed; one on trial counts this start
     * and is put back once it has used up its trial starts.
     *
     * @param system the framework's context, after {@code init()} and before {@code start()}
     * @param stateDir the coordinator's storage (journal and committed copies)
     */
    public static CoordinatorRuntime recover(BundleContext system, Path stateDir, CoordinatorSettings settings, Clock clock)
            throws IOException {
        Files.createDirectories(stateDir.resolve("transactions"));
        Files.createDirectories(stateDir.resolve("committed"));
        Coordinator coordinator = new Coordinator(system, stateDir, settings, clock);
        BundleSetSwitch bundles = new BundleSetSwitch(system, stateDir.resolve("committed"));
        List<Journal> onTrial = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Journal j : Journal.all(stateDir.resolve("transactions"))) {
            if (j.state.isFinal()) {
                continue;
            }
            TxState was = j.state;
            switch (was) {
                case STAGED -> Coordinator.reverted(j, "UPDATE_INTERRUPTED",
                        "the gateway stopped before the switch of " + j.description + "; nothing was changed");
                case SWITCHING, REFRESHED, HEALTH_CHECKING, REVERTING -> revertBeforeStart(j, bundles, "UPDATE_INTERRUPTED",
                        "the gateway stopped at step " + was + " of " + j.description + "; the previous set was restored at start");
                case COMMITTING -> Coordinator.commit(j, bundles);
                case SOAKING -> {
                    j.trials++;
                    if (j.trials > settings.maxTrialStarts()) {
                        revertBeforeStart(j, bundles, "BOOT_TRIALS_EXHAUSTED", "the gateway restarted " + j.trials
                                + " times while " + j.description + " was on trial; the previous set was restored at start");
                    } else {
                        j.write(TxState.SOAKING);
                        onTrial.add(j);
                    }
                }
                default -> throw new IllegalStateException("not a step to recover from: " + was);
            }
            String line = "transaction " + j.id + " found at " + was + ": now " + j.state
                    + (j.state == TxState.SOAKING ? " (trial start " + j.trials + " of " + settings.maxTrialStarts() + ")" : "")
                    + (j.code.isEmpty() ? "" : " " + j.code);
            LOG.log(System.Logger.Level.WARNING, line);
            lines.add(line);
        }
        return new CoordinatorRuntime(system, coordinator, onTrial, lines);
    }

    private static void revertBeforeStart(Journal j, BundleSetSwitch bundles, String code, String why) {
        try {
            bundles.switchToPrevious(j);
            Coordinator.reverted(j, code, why);
        } catch (BundleException | IOException | RuntimeException e) {
            Coordinator.failedRevert(j, why, e);
        }
    }

    /** @return one line per transaction recovery completed, reverted or resumed */
    public List<String> recovered() {
        return List.copyOf(recovered);
    }

    /** Registers the coordinator on the system bundle and resumes any set on trial. */
    public void start() {
        registration = system.registerService(BundleSetCoordinator.class, coordinator, null);
        onTrial.forEach(coordinator::resumeSoak);
    }

    /** @return the coordinator, for a launcher or test that drives it directly */
    public BundleSetCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // The framework stopped first and took the registration with it.
            }
        }
        coordinator.close();
    }
}
