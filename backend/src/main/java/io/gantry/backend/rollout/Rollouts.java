package io.gantry.backend.rollout;

import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.WithdrawnReleaseRepository;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's rollout operations behind the REST resource: create, read, pause, resume,
 * cancel and dry run. Each state change is one compare-and-set ({@link RolloutScheduler}).
 */
public final class Rollouts {
    private final RolloutServices s;
    private final RolloutScheduler scheduler;
    private final RolloutRepository rollouts = new RolloutRepository();

    /**
     * @param services storage and clock
     * @param scheduler nudged after each change, so it acts at once
     */
    public Rollouts(RolloutServices services, RolloutScheduler scheduler) {
        this.s = services;
        this.scheduler = scheduler;
    }

    /** @return the new rollout, CREATED (planned at the scheduler's next tick); 404 RELEASE_NOT_FOUND */
    public RolloutView create(RolloutSpec spec) throws SQLException {
        Instant now = s.clock().instant();
        long id = s.database().inTransaction(c -> {
            requireRelease(c, spec);
            return rollouts.insert(c, spec, now);
        });
        scheduler.nudge();
        return get(id);
    }

    /** @return the rollout with per-group progress; 404 ROLLOUT_NOT_FOUND */
    public RolloutView get(long id) throws SQLException {
        return s.database().inTransaction(c -> view(c, require(c, id)));
    }

    /**
     * @return the rollouts in {@code state} (if given) of {@code releaseId} (if given), oldest
     *     first, {@code paging}'s page of them with progress, and how many match in all
     */
    public Page list(Optional<RolloutState> state, Optional<Long> releaseId, io.gantry.backend.http.Paging paging)
            throws SQLException {
        return s.database().inTransaction(c -> {
            List<RolloutRow> matching = rollouts.list(c).stream()
                    .filter(r -> state.isEmpty() || r.state() == state.get())
                    .filter(r -> releaseId.isEmpty() || r.spec().releaseId() == releaseId.get()).toList();
            List<RolloutView> out = new ArrayList<>();
            for (RolloutRow r : matching.stream().skip(paging.offset()).limit(paging.size()).toList()) {
                out.add(view(c, r));
            }
            return new Page(out, matching.size());
        });
    }

    /** One page of rollouts and the number matching over all pages. */
    public record Page(List<RolloutView> items, long total) {
    }

    /** @return every rollout, oldest first, with progress */
    public List<RolloutView> list() throws SQLException {
        return s.database().inTransaction(c -> {
            List<RolloutView> out = new ArrayList<>();
            for (RolloutRow r : rollouts.list(c)) {
                out.add(view(c, r));
            }
            return out;
        });
    }

    /** RUNNING to PAUSED (no change when already paused); 409 ROLLOUT_STATE_CONFLICT otherwise */
    public RolloutView pause(long id) throws SQLException {
        return pause(id, "paused by an operator");
    }

    /** As {@link #pause(long)}, with the reason the rollout shows (an incident's freeze names its key). */
    public RolloutView pause(long id, String reason) throws SQLException {
        Instant now = s.clock().instant();
        return s.database().inTransaction(c -> {
            RolloutRow r = require(c, id);
            if (r.state() == RolloutState.PAUSED) {
                return view(c, r);
            }
            if (r.state() != RolloutState.RUNNING || !rollouts.transition(c, id, RolloutState.RUNNING, RolloutState.PAUSED,
                    reason, now)) {
                throw conflict(r, "pause");
            }
            return view(c, require(c, id));
        });
    }

    /** PAUSED to RUNNING; failures so far no longer count towards the error threshold; 409 otherwise */
    public RolloutView resume(long id) throws SQLException {
        Instant now = s.clock().instant();
        RolloutView v = s.database().inTransaction(c -> {
            RolloutRow r = require(c, id);
            List<GroupProgress> groups = rollouts.progress(c, id);
            int failures = groups.stream().mapToInt(GroupProgress::failed).sum();
            int closed = failures + groups.stream().mapToInt(GroupProgress::succeeded).sum();
            if (r.state() != RolloutState.PAUSED || !rollouts.resume(c, id, failures, closed, now)) {
                throw conflict(r, "resume");
            }
            return view(c, require(c, id));
        });
        scheduler.nudge();
        return v;
    }

    /** Any state but FINISHED and CANCELED to CANCELED; its PENDING and RUNNING actions become CANCELING (devices get cancelAction) */
    public RolloutView cancel(long id) throws SQLException {
        Instant now = s.clock().instant();
        List<ActionRow> canceling = new ArrayList<>();
        RolloutView v = s.database().inTransaction(c -> {
            canceling.clear();
            RolloutRow r = require(c, id);
            if (!cancel(c, r, "canceled by an operator", now, canceling)) {
                throw conflict(r, "cancel");
            }
            return view(c, require(c, id));
        });
        // Committed: a device told now finds cancelAction in its poll.
        canceling.forEach(a -> s.committedActions().canceling(a.controllerId(), a.id()));
        return v;
    }

    /**
     * Cancels every rollout of the release that has not ended, inside the caller's transaction (a
     * release withdrawn by a trust-root rotation).
     *
     * @return the rollouts canceled
     */
    public List<Long> cancelAllOf(Connection c, long releaseId, String reason, Instant now) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (RolloutRow r : rollouts.list(c)) {
            // Inside the caller's transaction: no push (devices learn at their next poll).
            if (r.spec().releaseId() == releaseId && cancel(c, r, reason, now, new ArrayList<>())) {
                out.add(r.id());
            }
        }
        return out;
    }

    /** @param canceling receives each action moved to CANCELING */
    private boolean cancel(Connection c, RolloutRow r, String reason, Instant now, List<ActionRow> canceling) throws SQLException {
        if (r.state().isEnded() || !rollouts.transition(c, r.id(), r.state(), RolloutState.CANCELED, reason, now)) {
            return false;
        }
        for (long actionId : rollouts.cancelableActions(c, r.id())) {
            Optional<ActionRow> a = s.actions().findForUpdate(c, actionId);
            if (a.isPresent() && a.get().status() != ActionStatus.CANCELING && a.get().status().isOpen()
                    && s.actions().transition(c, actionId, a.get().status(), ActionStatus.CANCELING, now)) {
                canceling.add(a.get());
            }
        }
        return true;
    }

    /** @return who {@code spec} would target now, by group, and who would be held; nothing is stored */
    public RolloutView.DryRun dryRun(RolloutSpec spec) throws SQLException {
        Instant now = s.clock().instant();
        return s.database().inTransaction(c -> {
            requireRelease(c, spec);
            List<String> targets = rollouts.matching(c, spec.filter(), Optional.empty());
            List<RolloutView.DryRunGroup> groups = new ArrayList<>();
            Map<String, String> held = new TreeMap<>();
            for (RolloutPlanner.PlannedGroup g : RolloutPlanner.plan(spec, targets)) {
                groups.add(new RolloutView.DryRunGroup(g.name(), g.members()));
                for (String device : g.members()) {
                    Optional<String> reason = DeviceHold.reason(spec, now, rollouts.certificateExpiry(c, device));
                    if (reason.isEmpty()) {
                        try {
                            DeviceHold.zone(rollouts.attribute(c, device, spec.timeZoneAttribute()));
                        } catch (IllegalArgumentException e) {
                            reason = Optional.of(e.getMessage());
                        }
                    }
                    reason.ifPresent(why -> held.put(device, why));
                }
            }
            return new RolloutView.DryRun(targets.size(), groups, held);
        });
    }

    private void requireRelease(Connection c, RolloutSpec spec) throws SQLException {
        if (s.releases().find(c, spec.releaseId()).isEmpty()) {
            throw new ApiException(RequestError.RELEASE_NOT_FOUND, "no release " + spec.releaseId());
        }
        WithdrawnReleaseRepository.refuseIfWithdrawn(c, spec.releaseId());
    }

    private RolloutRow require(Connection c, long id) throws SQLException {
        return rollouts.find(c, id).orElseThrow(() -> new ApiException(RequestError.ROLLOUT_NOT_FOUND, "no rollout " + id));
    }

    private RolloutView view(Connection c, RolloutRow r) throws SQLException {
        return RolloutView.of(r, rollouts.progress(c, r.id()), rollouts.held(c, r.id()));
    }

    private static ApiException conflict(RolloutRow r, String what) {
        return new ApiException(RequestError.ROLLOUT_STATE_CONFLICT, "cannot " + what + " rollout " + r.id() + ": it is "
                + r.state());
    }
}
