package io.gantry.backend.rollout;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.events.SecurityEvents;
import java.time.Clock;
import java.util.Objects;

/**
 * What rollouts need from the server: the assembly builds it, so this package never depends on it.
 *
 * @param clock the time source, read once per step
 * @param database the database
 * @param releases the releases table (a rollout's release must exist)
 * @param actions the actions tables: a started device gets an action there, a cancel moves it to CANCELING
 * @param securityEvents where a pause by the error threshold is recorded, and so alerted
 * @param committedActions told after each committed device start and rollout cancel (the MQTT push)
 */
public record RolloutServices(Clock clock, Database database, ReleaseRepository releases, ActionRepository actions,
        SecurityEvents securityEvents, CommittedActionListener committedActions) {
    /** @throws NullPointerException when any part is missing */
    public RolloutServices {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(securityEvents, "securityEvents");
        Objects.requireNonNull(committedActions, "committedActions");
    }

    /** The same, telling no one about started and canceled actions. */
    public RolloutServices(Clock clock, Database database, ReleaseRepository releases, ActionRepository actions,
            SecurityEvents securityEvents) {
        this(clock, database, releases, actions, securityEvents, CommittedActionListener.NONE);
    }
}
