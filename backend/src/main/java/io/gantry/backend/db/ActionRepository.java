package io.gantry.backend.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code actions} and {@code action_status} tables. */
public final class ActionRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, controller_id, release_id, status, created_at, updated_at";

    /** @return the id of a new PENDING action, forced, any time */
    public long create(Connection c, String controllerId, long releaseId, Instant now) throws SQLException {
        return create(c, controllerId, releaseId, ActionTerms.DEFAULT, now);
    }

    /** @return the id of a new PENDING action with these terms */
    public long create(Connection c, String controllerId, long releaseId, ActionTerms terms, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO actions (controller_id, release_id, status, created_at, "
                + "updated_at, action_type, maintenance_window) VALUES (?, ?, 'PENDING', ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, controllerId);
            ps.setLong(2, releaseId);
            Timestamps.set(ps, 3, now);
            Timestamps.set(ps, 4, now);
            ps.setString(5, terms.type().stored());
            ps.setString(6, terms.window().map(MaintenanceWindow::format).orElse(null));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** @return how and when the action is to be carried out */
    public ActionTerms terms(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT action_type, maintenance_window FROM actions WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no action " + id);
                }
                String window = rs.getString(2);
                return new ActionTerms(ActionTerms.Type.ofStored(rs.getString(1)),
                        window == null ? Optional.empty() : Optional.of(MaintenanceWindow.parse(window)));
            }
        }
    }

    /** @return the action, if it exists */
    public Optional<ActionRow> find(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM actions WHERE id = ?", id);
    }

    /** @return the action, row-locked until the transaction ends (serialises feedback on one action) */
    public Optional<ActionRow> findForUpdate(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM actions WHERE id = ? FOR UPDATE", id);
    }

    /** @return the device's oldest open (PENDING, RUNNING or CANCELING) action */
    public Optional<ActionRow> oldestOpen(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM actions WHERE controller_id = ? "
                + "AND status IN ('PENDING', 'RUNNING', 'CANCELING') ORDER BY id FETCH FIRST 1 ROW ONLY")) {
            ps.setString(1, controllerId);
            return read(ps).stream().findFirst();
        }
    }

    /** @return the device's newest FINISHED action: what it has installed (hawkBit's installedBase) */
    public Optional<ActionRow> latestFinished(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM actions WHERE controller_id = ? "
                + "AND status = 'FINISHED' ORDER BY id DESC FETCH FIRST 1 ROW ONLY")) {
            ps.setString(1, controllerId);
            return read(ps).stream().findFirst();
        }
    }

    /** @return the device's actions, oldest first */
    public List<ActionRow> forTarget(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM actions WHERE controller_id = ? ORDER BY id")) {
            ps.setString(1, controllerId);
            return read(ps);
        }
    }

    /** @return every action of the release, oldest first (the incident playbook's who-installed-what) */
    public List<ActionRow> forRelease(Connection c, long releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM actions WHERE release_id = ? ORDER BY id")) {
            ps.setLong(1, releaseId);
            return read(ps);
        }
    }

    /** @return whether the device has any action, in any state, for the release */
    public boolean hasActionFor(Connection c, String controllerId, long releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM actions WHERE controller_id = ? AND release_id = ?")) {
            ps.setString(1, controllerId);
            ps.setLong(2, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Moves an action from {@code from} to {@code to}; returns whether it was in {@code from}. */
    public boolean transition(Connection c, long id, ActionStatus from, ActionStatus to, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE actions SET status = ?, updated_at = ? WHERE id = ? AND status = ?")) {
            ps.setString(1, to.name());
            Timestamps.set(ps, 2, now);
            ps.setLong(3, id);
            ps.setString(4, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Appends a feedback message to an action's history. */
    public void addStatus(Connection c, long actionId, StatusReport report) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO action_status (action_id, execution, finished, code, "
                + "details, reported_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, actionId);
            ps.setString(2, report.execution());
            ps.setString(3, report.finished());
            if (report.code() == null) {
                ps.setNull(4, Types.INTEGER);
            } else {
                ps.setInt(4, report.code());
            }
            ps.setString(5, toJson(report.details()));
            Timestamps.set(ps, 6, report.reportedAt());
            ps.executeUpdate();
        }
    }

    /** @return the action's feedback, oldest first */
    public List<StatusReport> history(Connection c, long actionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT execution, finished, code, details, reported_at "
                + "FROM action_status WHERE action_id = ? ORDER BY id")) {
            ps.setLong(1, actionId);
            List<StatusReport> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt("code");
                    Integer boxed = rs.wasNull() ? null : code;
                    out.add(new StatusReport(rs.getString("execution"), rs.getString("finished"), boxed,
                            fromJson(rs.getString("details")), Timestamps.get(rs, "reported_at")));
                }
            }
            return out;
        }
    }

    private Optional<ActionRow> one(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return read(ps).stream().findFirst();
        }
    }

    private static List<ActionRow> read(PreparedStatement ps) throws SQLException {
        List<ActionRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new ActionRow(rs.getLong("id"), rs.getString("controller_id"), rs.getLong("release_id"),
                        ActionStatus.valueOf(rs.getString("status")), Timestamps.get(rs, "created_at"),
                        Timestamps.get(rs, "updated_at")));
            }
        }
        return rows;
    }

    private static String toJson(List<String> details) throws SQLException {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot encode details", e);
        }
    }

    private static List<String> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("stored details are not a JSON array of strings", e);
        }
    }
}
