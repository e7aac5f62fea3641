package io.gantry.coordinator.launch;

import io.gantry.coordinator.BundleSetCoordinator;
import io.gantry.coordinator.BundleSetRequest;
import io.gantry.coordinator.StagedBundle;
import io.gantry.coordinator.TransactionOutcome;
import io.gantry.coordinator.TransactionRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Runs bundle-set transactions, one at a time, on its own thread: a thread no bundle owns, so
 * stopping or replacing any bundle (the one that asked included) never stops the transaction.
 * Each step is journaled before the framework is touched for it (see {@link TxState}).
 */
final class Coordinator implements BundleSetCoordinator {
    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());
    private final BundleContext system;
    private final Path transactions;
    private final BundleSetSwitch bundles;
    private final HealthGates gates;
    private final CoordinatorSettings settings;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gantry-update-coordinator");
        t.setDaemon(true);
        return t;
    });

    Coordinator(BundleContext system, Path stateDir, CoordinatorSettings settings, Clock clock) {
        this.system = system;
        this.transactions = stateDir.resolve("transactions");
        this.bundles = new BundleSetSwitch(system, stateDir.resolve("committed"));
        this.gates = new HealthGates(system, clock);
        this.settings = settings;
        this.clock = clock;
    }

    /** Finished transactions whose outcome is kept for callers that ask late (e.g. after a restart). */
    static final int KEEP_FINISHED = 32;

    @Override
    public synchronized void submit(BundleSetRequest request) throws TransactionRefusedException {
        try {
            List<Journal> finished = new ArrayList<>();
            for (Journal j : Journal.all(transactions)) {
                if (j.state.isFinal()) {
                    finished.add(j);
                }
                if (!j.state.isFinal()) {
                    throw new TransactionRefusedException("UPDATE_IN_PROGRESS", "transaction " + j.id + " (" + j.description
                            + ") is at step " + j.state + "; one bundle set at a time");
                }
            }
            finished.sort(Comparator.comparing((Journal j) -> j.dir.toFile().lastModified()));
            for (int i = 0; i < finished.size() - KEEP_FINISHED + 1; i++) {
                deleteQuietly(finished.get(i).dir);
            }
        } catch (IOException e) {
            throw new TransactionRefusedException("INSTALL_FAILED", "cannot read the transaction journal: " + e.getMessage());
        }
        Path dir = transactions.resolve(request.transactionId());
        if (Files.exists(dir)) {
            throw new TransactionRefusedException("INSTALL_FAILED", "transaction id " + request.transactionId() + " was used before");
        }
        Journal j = new Journal(dir, request.transactionId());
        j.description = request.description();
        try {
            Files.createDirectories(dir);
            for (StagedBundle b : request.bundles()) {
                j.bundles.add(stage(j, b));
            }
            j.write(TxState.STAGED);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw new TransactionRefusedException("INSTALL_FAILED", "cannot stage " + request.description() + ": " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "transaction {0}: {1} staged ({2} bundles)", j.id, j.description, j.bundles.size());
        worker.execute(() -> run(j));
    }

    /** Copies the jar, checks the copy, and keeps the running version to go back to. */
    private Journal.Entry stage(Journal j, StagedBundle b) throws IOException {
        String copied = JarFiles.copy(Files.newInputStream(b.jar()), j.newJar(b.symbolicName()));
        if (!copied.equals(b.sha256())) {
            throw new IOException(b.symbolicName() + ": the jar is not the one verified (SHA-256 " + copied + ")");
        }
        String version = JarFiles.bundleVersion(j.newJar(b.symbolicName()));
        if (!b.version().equals(version)) {
            throw new IOException(b.symbolicName() + ": the jar says version " + version + ", the request " + b.version());
        }
        Bundle running = bundles.find(b.symbolicName());
        if (running == null) {
            return new Journal.Entry(b.symbolicName(), "", version, copied, true);
        }
        bundles.keepRunning(running, j.previousJar(b.symbolicName()));
        return new Journal.Entry(b.symbolicName(), running.getVersion().toString(), version, copied, false);
    }

    private void run(Journal j) {
        Set<Long> mustBeActive = new HashSet<>();
        try {
            pauseIfAsked(j, TxState.STAGED);
            j.excused = new ArrayList<>(gates.failingNow(settings.healthDeadline()));
            if (!j.excused.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "transaction {0}: gates already failing before the switch: {1}", j.id, j.excused);
            }
            for (Bundle b : system.getBundles()) {
                if (b.getState() == Bundle.ACTIVE) {
                    mustBeActive.add(b.getBundleId());
                }
            }
            step(j, TxState.SWITCHING);
            List<Bundle> set = bundles.switchToNew(j);
            bundles.refresh(set);
            step(j, TxState.REFRESHED);
            BundleSetSwitch.start(set);
            set.forEach(b -> mustBeActive.add(b.getBundleId()));
            step(j, TxState.HEALTH_CHECKING);
            String problem = gates.awaitHealthy(settings.healthDeadline(), settings.requiredGates(), Set.copyOf(j.excused), mustBeActive);
            if (problem != null) {
                revert(j, "HEALTH_CHECK_FAILED", "the new set failed its health gates within "
                        + settings.healthDeadline().toSeconds() + " s: " + problem);
                return;
            }
            soakAndCommit(j, mustBeActive);
        } catch (BundleException | IOException | RuntimeException e) {
            revert(j, "INSTALL_FAILED", "switching to " + j.description + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "transaction {0} interrupted at {1}: recovered at the next start", j.id, j.state);
        }
    }

    /** After a restart: a set still on trial goes on with its soak period. */
    void resumeSoak(Journal j) {
        worker.execute(() -> {
            Set<Long> mustBeActive = new HashSet<>();
            for (Journal.Entry e : j.bundles) {
                Bundle b = bundles.find(e.symbolicName());
                if (b != null) {
                    mustBeActive.add(b.getBundleId());
                }
            }
            try {
                soakAndCommit(j, mustBeActive);
            } catch (IOException | RuntimeException e) {
                revert(j, "INSTALL_FAILED", "committing " + j.description + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void soakAndCommit(Journal j, Set<Long> mustBeActive) throws IOException, InterruptedException {
        if (!settings.soak().isZero()) {
            if (j.state != TxState.SOAKING) {
                j.soakUntilMillis = clock.millis() + settings.soak().toMillis();
                step(j, TxState.SOAKING);
            }
            LOG.log(System.Logger.Level.INFO, "transaction {0}: healthy; on trial until the soak period ends", j.id);
            while (clock.millis() < j.soakUntilMillis) {
                Thread.sleep(Math.max(1, Math.min(settings.soakCheck().toMillis(), j.soakUntilMillis - clock.millis())));
                String problem = gates.awaitHealthy(settings.healthDeadline(), settings.requiredGates(), Set.copyOf(j.excused), mustBeActive);
                if (problem != null) {
                    revert(j, "HEALTH_CHECK_FAILED", "the new set failed its health gates during the soak period: " + problem);
                    return;
                }
            }
        }
        step(j, TxState.COMMITTING);
        commit(j, bundles);
    }

    /** The last step of a commit; also what recovery does for a transaction killed while committing. */
    static void commit(Journal j, BundleSetSwitch bundles) throws IOException {
        bundles.commitCopies(j);
        j.code = "COMMITTED";
        j.message = j.description + " committed";
        j.details = new ArrayList<>();
        for (Journal.Entry e : j.bundles) {
            j.details.add(e.fresh() ? "installed bundle " + e.symbolicName() + " " + e.toVersion()
                    : "updated bundle " + e.symbolicName() + " " + e.fromVersion() + " -> " + e.toVersion());
        }
        j.write(TxState.COMMITTED);
        j.dropJars();
        LOG.log(System.Logger.Level.INFO, "transaction {0}: {1}", j.id, j.message);
    }

    private void revert(Journal j, String code, String why) {
        LOG.log(System.Logger.Level.WARNING, "transaction {0}: {1}; restoring the previous set", j.id, why);
        try {
            j.code = code;
            j.message = why;
            step(j, TxState.REVERTING);
            List<Bundle> set = bundles.switchToPrevious(j);
            // null: every revision waiting for removal, the set's old ones and any bundle it brought in.
            bundles.refresh(null);
            BundleSetSwitch.start(set);
            reverted(j, code, why);
        } catch (BundleException | IOException | RuntimeException e) {
            failedRevert(j, why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void reverted(Journal j, String code, String why) throws IOException {
        j.code = code;
        j.message = why;
        j.details = new ArrayList<>();
        for (Journal.Entry e : j.bundles) {
            j.details.add(e.fresh() ? "removed bundle " + e.symbolicName() + " " + e.toVersion()
                    : "bundle " + e.symbolicName() + " back at " + e.fromVersion());
        }
        j.write(TxState.REVERTED);
        j.dropJars();
        LOG.log(System.Logger.Level.WARNING, "transaction {0}: previous set restored ({1})", j.id, code);
    }

    static void failedRevert(Journal j, String why, Exception e) {
        LOG.log(System.Logger.Level.ERROR, "transaction {0}: could not restore the previous set: {1}", j.id, e.toString());
        j.code = "REVERT_FAILED";
        j.message = why + "; then restoring the previous set failed: " + e;
        try {
            j.write(TxState.REVERT_FAILED);
        } catch (IOException io) {
            LOG.log(System.Logger.Level.ERROR, "transaction {0}: journal not written: {1}", j.id, io.toString());
        }
    }

    /** Journals a step, then stops there if a test asked to (see {@link CoordinatorSettings#pauseAt()}). */
    private void step(Journal j, TxState s) throws IOException, InterruptedException {
        j.write(s);
        pauseIfAsked(j, s);
    }

    private void pauseIfAsked(Journal j, TxState s) throws InterruptedException {
        if (s == settings.pausePoint()) {
            System.out.println("[coordinator] transaction " + j.id + " paused at " + s + " (gantry.coordinator.pauseAt)");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    @Override
    public Optional<TransactionOutcome> outcome(String transactionId) {
        return read(transactionId).filter(j -> j.state.isFinal()).map(Coordinator::outcomeOf);
    }

    @Override
    public boolean knows(String transactionId) {
        return read(transactionId).isPresent();
    }

    @Override
    public List<TransactionOutcome> finished() {
        try {
            return Journal.all(transactions).stream().filter(j -> j.state.isFinal()).map(Coordinator::outcomeOf).toList();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list transactions: {0}", e.toString());
            return List.of();
        }
    }

    @Override
    public synchronized void forget(String transactionId) {
        read(transactionId).filter(j -> j.state.isFinal()).ifPresent(j -> deleteQuietly(j.dir));
    }

    private Optional<Journal> read(String transactionId) {
        try {
            if (transactionId == null || !transactionId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                return Optional.empty();
            }
            Path dir = transactions.resolve(transactionId);
            return Files.exists(dir.resolve("journal.properties")) ? Optional.of(Journal.read(dir)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static TransactionOutcome outcomeOf(Journal j) {
        TransactionOutcome.Result r = switch (j.state) {
            case COMMITTED -> TransactionOutcome.Result.COMMITTED;
            case REVERTED -> TransactionOutcome.Result.REVERTED;
            default -> TransactionOutcome.Result.REVERT_FAILED;
        };
        return new TransactionOutcome(j.id, r, j.code, j.message, j.details);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove {0}: {1}", dir, e.toString());
        }
    }

    void close() {
        worker.shutdownNow();
        gates.close();
    }
}
