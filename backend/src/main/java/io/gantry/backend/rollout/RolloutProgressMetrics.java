package io.gantry.backend.rollout;

import io.gantry.backend.db.Database;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Rollout progress as gauges: {@code gantry_rollouts{state}} counts rollouts in each state, and
 * {@code gantry_rollout_devices{rollout,state}} counts the devices of each rollout that is not over
 * (CREATED, RUNNING, PAUSED) by where they are: {@code held}, {@code waiting} (no action yet),
 * or their action's status ({@code pending}, {@code running}, {@code canceling}, {@code finished},
 * {@code error}, {@code canceled}). Finished and cancelled rollouts drop out of the second gauge, so
 * its series are bounded by the rollouts in progress, not by history. Two aggregate queries per
 * computation, run through a {@link io.gantry.backend.metrics.ScrapeCache}.
 */
public final class RolloutProgressMetrics {
    private static final String[] ROLLOUT_STATES = {"CREATED", "RUNNING", "PAUSED", "FINISHED", "CANCELED"};
    /** Where a member is: its action's status once it has one, else held or waiting. */
    private static final String MEMBER_STATE = "CASE WHEN m.action_id IS NOT NULL THEN a.status "
            + "WHEN m.held_reason IS NOT NULL THEN 'HELD' ELSE 'WAITING' END";
    private final Database database;

    /** @param database the database holding the rollout tables */
    public RolloutProgressMetrics(Database database) {
        this.database = database;
    }

    /** @return the two gauges, as of now */
    public MetricSnapshots compute() throws SQLException {
        GaugeSnapshot.Builder rollouts = GaugeSnapshot.builder().name("gantry_rollouts").help("Rollouts, by state.");
        GaugeSnapshot.Builder devices = GaugeSnapshot.builder().name("gantry_rollout_devices")
                .help("Devices of each rollout in progress (CREATED, RUNNING, PAUSED), by state: held, waiting, "
                        + "or their action's status.");
        database.inTransaction(c -> {
            java.util.Map<String, Long> byState = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM rollouts GROUP BY state");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                }
            }
            for (String s : ROLLOUT_STATES) {
                rollouts.dataPoint(point(Labels.of("state", s.toLowerCase(java.util.Locale.ROOT)), byState.getOrDefault(s, 0L)));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT m.rollout_id, " + MEMBER_STATE + " AS member_state, COUNT(*) AS n "
                    + "FROM rollout_members m JOIN rollouts r ON r.id = m.rollout_id LEFT JOIN actions a ON a.id = m.action_id "
                    + "WHERE r.state IN ('CREATED', 'RUNNING', 'PAUSED') GROUP BY m.rollout_id, " + MEMBER_STATE
                    + " ORDER BY 1, 2");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.dataPoint(point(Labels.of("rollout", Long.toString(rs.getLong("rollout_id")), "state",
                            rs.getString("member_state").toLowerCase(java.util.Locale.ROOT)), rs.getLong("n")));
                }
            }
            return null;
        });
        return MetricSnapshots.of(rollouts.build(), devices.build());
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
