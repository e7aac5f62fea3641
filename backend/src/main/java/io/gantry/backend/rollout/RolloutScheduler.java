package io.gantry.backend.rollout;

import io.gantry.backend.db.ActionTerms;
import io.gantry.backend.db.JobLock;
import io.gantry.backend.db.MaintenanceWindow;
import io.gantry.backend.failure.SecurityEventCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every rollout, at a fixed interval and whenever a device reports feedback: plans CREATED
 * rollouts, adds late joiners to the last group, pauses on the error threshold (recording
 * {@code ROLLOUT_PAUSED}, which the alert webhook sends), finishes groups at their success
 * threshold and starts the next, and starts devices within the rate limit, holding those whose
 * certificate expires soon. Time comes from the injected clock only.
 *
 * <p><b>Several nodes on one database.</b> A tick runs under the {@link JobLock} {@value #LOCK}:
 * one node ticks at a time, a node that asks meanwhile waits and then ticks on what the first
 * committed. So the per-minute limit, counted from {@code rollout_members.started_at} in the
 * database, holds exactly across nodes, and a node killed mid-tick releases the lock with its
 * connection. Under the lock each step still runs in its own transaction and is guarded by a
 * compare-and-set: planning is {@code UPDATE rollouts SET state='RUNNING' WHERE state='CREATED'},
 * a group starts or finishes by {@code UPDATE rollout_groups ... WHERE state=<expected>}, a pause by
 * {@code ... WHERE state='RUNNING'}, and a device starts only if
 * {@code UPDATE rollout_members SET action_id=? WHERE action_id IS NULL} changed its row, else the
 * transaction that created its action rolls back. A step repeated (a tick that lost its lock while
 * committing, an operator's change racing a tick) changes nothing, so no step is done twice and
 * no alert is sent twice.
 */
public final class RolloutScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutScheduler.class);
    private final RolloutServices s;
    private final RolloutRepository rollouts = new RolloutRepository();
    /** The name of the scheduler's row in {@code job_locks}. */
    public static final String LOCK = "rollout-scheduler";
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final JobLock lock;
    private volatile ScheduledExecutorService executor;

    /** @param services storage, clock and events */
    public RolloutScheduler(RolloutServices services) {
        this.s = services;
        this.lock = new JobLock(services.database(), LOCK);
    }

    /** Ticks every {@code interval} on a background thread, and soon after each {@link #nudge}. */
    public void start(Duration interval) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gantry-rollouts");
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ex.scheduleWithFixedDelay(this::tickQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        executor = ex;
    }

    /** Asks for a tick soon (a device reported feedback); coalesced while one is queued. */
    public void nudge() {
        ScheduledExecutorService ex = executor;
        if (ex != null && nudged.compareAndSet(false, true)) {
            try {
                ex.execute(() -> {
                    nudged.set(false);
                    tickQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                nudged.set(false);
            }
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (SQLException | RuntimeException e) {
            LOG.error("rollout tick failed; the next tick tries again", e);
        }
    }

    /** One round over all CREATED and RUNNING rollouts, under the scheduler's lock; safe to call from any thread or node at any time. */
    public synchronized void tick() throws SQLException {
        try (JobLock.Held held = lock.acquire()) {
            tickLocked();
        }
    }

    private void tickLocked() throws SQLException {
        for (long id : s.database().inTransaction(c -> rollouts.idsIn(c, RolloutState.CREATED))) {
            plan(id);
        }
        for (long id : s.database().inTransaction(c -> rollouts.idsIn(c, RolloutState.RUNNING))) {
            step(id);
        }
    }

    /** Plans a CREATED rollout and starts its first group, all in one transaction, once. */
    private void plan(long id) throws SQLException {
        Instant now = s.clock().instant();
        s.database().inTransaction(c -> {
            RolloutRow r = rollouts.find(c, id).orElseThrow();
            if (!rollouts.transition(c, id, RolloutState.CREATED, RolloutState.RUNNING, null, now)) {
                return null;
            }
            List<RolloutPlanner.PlannedGroup> groups = RolloutPlanner.plan(r.spec(), rollouts.matching(c, r.spec().filter(),
                    Optional.empty()));
            for (int i = 0; i < groups.size(); i++) {
                rollouts.insertGroup(c, id, i, groups.get(i).name());
                rollouts.insertMembers(c, id, i, groups.get(i).members());
            }
            rollouts.transitionGroup(c, id, 0, GroupState.SCHEDULED, GroupState.RUNNING, now);
            LOG.info("rollout {} planned: {} groups", id, groups.size());
            return null;
        });
    }

    private void step(long id) throws SQLException {
        RolloutRow r = s.database().inTransaction(c -> rollouts.find(c, id)).orElseThrow();
        if (r.state() != RolloutState.RUNNING) {
            return;
        }
        s.database().inTransaction(c -> {
            rollouts.insertMembers(c, id, RolloutPlanner.lateJoinerGroup(r.spec()), rollouts.matching(c, r.spec().filter(),
                    Optional.of(id)));
            return null;
        });
        if (!advance(r)) {
            return;
        }
        startDevices(r);
    }

    /** Pauses on the error threshold, finishes and starts groups; @return whether the rollout still runs. */
    private boolean advance(RolloutRow r) throws SQLException {
        Instant now = s.clock().instant();
        Optional<String> paused = s.database().inTransaction(c -> {
            List<GroupProgress> groups = rollouts.progress(c, r.id());
            int failures = groups.stream().mapToInt(GroupProgress::failed).sum();
            int closed = failures + groups.stream().mapToInt(GroupProgress::succeeded).sum();
            int newFailures = failures - r.failuresBaseline();
            int newClosed = closed - r.closedBaseline();
            if (r.spec().errorThreshold().crossed(newFailures, newClosed)) {
                String reason = "error threshold crossed: " + newFailures + " of " + newClosed + " closed actions failed (threshold "
                        + r.spec().errorThreshold().describe() + ")";
                return rollouts.transition(c, r.id(), RolloutState.RUNNING, RolloutState.PAUSED, reason, now)
                        ? Optional.of(reason) : Optional.of("");
            }
            boolean allFinished = true;
            boolean previousFinished = true;
            for (GroupProgress g : groups) {
                GroupState state = g.state();
                if (state == GroupState.SCHEDULED && previousFinished
                        && rollouts.transitionGroup(c, r.id(), g.position(), GroupState.SCHEDULED, GroupState.RUNNING, now)) {
                    state = GroupState.RUNNING;
                    LOG.info("rollout {}: group {} started", r.id(), g.name());
                }
                if (state == GroupState.RUNNING && g.reached(r.spec().successThreshold())
                        && rollouts.transitionGroup(c, r.id(), g.position(), GroupState.RUNNING, GroupState.FINISHED, now)) {
                    state = GroupState.FINISHED;
                    LOG.info("rollout {}: group {} reached its success threshold", r.id(), g.name());
                }
                previousFinished = state == GroupState.FINISHED;
                allFinished &= previousFinished && g.notStarted() == 0;
            }
            if (allFinished && rollouts.transition(c, r.id(), RolloutState.RUNNING, RolloutState.FINISHED, null, now)) {
                LOG.info("rollout {} finished", r.id());
                return Optional.of("");
            }
            return Optional.empty();
        });
        if (paused.isPresent() && !paused.get().isEmpty()) {
            LOG.warn("rollout {} paused: {}", r.id(), paused.get());
            s.securityEvents().record(SecurityEventCode.ROLLOUT_PAUSED, "rollout " + r.id() + " (" + r.spec().name() + ")",
                    null, paused.get());
        }
        return paused.isEmpty();
    }

    /** Starts waiting devices of started groups, within the per-minute budget; holds those that must not be updated. */
    private void startDevices(RolloutRow r) throws SQLException {
        Instant now = s.clock().instant();
        int[] budget = new int[1];
        List<String> candidates = s.database().inTransaction(c -> {
            List<GroupProgress> groups = rollouts.progress(c, r.id());
            int last = groups.stream().filter(g -> g.state() != GroupState.SCHEDULED).mapToInt(GroupProgress::position).max()
                    .orElse(-1);
            budget[0] = r.spec().maxStartsPerMinute() - rollouts.startedSince(c, r.id(), now.minus(Duration.ofMinutes(1)));
            int held = groups.stream().mapToInt(GroupProgress::held).sum();
            return last < 0 || budget[0] <= 0 ? List.<String>of() : rollouts.unstarted(c, r.id(), last, budget[0] + held);
        });
        for (String device : candidates) {
            if (budget[0] <= 0) {
                return;
            }
            try {
                long action = s.database().inTransaction(c -> startOne(c, r, device, now));
                if (action > 0) {
                    budget[0]--;
                    s.committedActions().started(device, action);
                }
            } catch (LostRace e) {
                LOG.debug("rollout {}: {} was started by another node", r.id(), device);
            }
        }
    }

    /** @return the new action's id, or 0 when the device is held */
    private long startOne(Connection c, RolloutRow r, String device, Instant now) throws SQLException {
        Optional<String> hold = DeviceHold.reason(r.spec(), now, rollouts.certificateExpiry(c, device));
        ZoneId zone;
        try {
            zone = DeviceHold.zone(rollouts.attribute(c, device, r.spec().timeZoneAttribute()));
        } catch (IllegalArgumentException e) {
            hold = Optional.of(e.getMessage());
            zone = null;
        }
        if (hold.isPresent()) {
            rollouts.hold(c, r.id(), device, hold.get());
            return 0;
        }
        Optional<MaintenanceWindow> window = DeviceHold.window(r.spec(), zone);
        long action = s.actions().create(c, device, r.spec().releaseId(), new ActionTerms(r.spec().type(), window), now);
        if (!rollouts.markStarted(c, r.id(), device, action, now)) {
            // Another node started this device first: undo the action created here.
            throw new LostRace();
        }
        return action;
    }

    /** Stops ticking and waits for a tick in progress. Not synchronized with {@link #tick}, which a queued tick waits on. */
    @Override
    public void close() {
        ScheduledExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            ex.shutdown();
            try {
                ex.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Rolls back a device start another node already made. */
    private static final class LostRace extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostRace() {
            super("device already started by another node", null, false, false);
        }
    }
}
