package io.gantry.backend.mqtt;

import io.gantry.backend.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code push_outbox} table (V25): commands every backend node relays to its own embedded
 * broker (docs/mqtt.md, "Several backend nodes").
 */
final class PushOutbox {
    private final Database database;

    /** {@code command_type} of a fleet alert row. */
    static final String ALERT = "alert";
    /** Longest alert JSON a row carries. */
    static final int MAX_ALERT = 4000;

    /**
     * One row.
     *
     * @param id its id, rising in insertion order (not necessarily in commit order)
     * @param origin the node that wrote it
     * @param command the command, {@code null} for an alert or a row this node cannot read
     * @param alertJson the fleet alert change, {@code null} for a command
     */
    record Entry(long id, String origin, DeviceCommand command, String alertJson) {
    }

    PushOutbox(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Appends {@code command}, written by node {@code origin}, in a transaction of its own. */
    void append(String origin, DeviceCommand command) throws SQLException {
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO push_outbox (origin, command_type, controller_id, ref_id, issued_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, origin);
                ps.setString(2, command.type());
                ps.setString(3, command.controllerId());
                ps.setLong(4, command.id());
                ps.setObject(5, OffsetDateTime.ofInstant(command.issuedAt(), ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Appends a fleet alert change, written by node {@code origin} at {@code issuedAt}.
     *
     * @throws IllegalArgumentException for JSON longer than {@value #MAX_ALERT} characters
     */
    void appendAlert(String origin, String json, Instant issuedAt) throws SQLException {
        if (json.length() > MAX_ALERT) {
            throw new IllegalArgumentException("alert longer than " + MAX_ALERT + " characters");
        }
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO push_outbox (origin, command_type, ref_id, payload, issued_at) VALUES (?, ?, 0, ?, ?)")) {
                ps.setString(1, origin);
                ps.setString(2, ALERT);
                ps.setString(3, json);
                ps.setObject(4, OffsetDateTime.ofInstant(issuedAt, ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    /** @return up to {@code limit} rows with an id above {@code floor}, by id */
    List<Entry> after(long floor, int limit) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, origin, command_type, controller_id, ref_id, payload, issued_at"
                    + " FROM push_outbox WHERE id > ? ORDER BY id")) {
                ps.setLong(1, floor);
                ps.setMaxRows(limit);
                List<Entry> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant issued = rs.getObject("issued_at", OffsetDateTime.class).toInstant();
                        if (ALERT.equals(rs.getString("command_type"))) {
                            rows.add(new Entry(rs.getLong("id"), rs.getString("origin"), null, rs.getString("payload")));
                            continue;
                        }
                        DeviceCommand command;
                        try {
                            command = new DeviceCommand(rs.getString("command_type"), rs.getString("controller_id"),
                                    rs.getLong("ref_id"), issued);
                        } catch (IllegalArgumentException unknown) {
                            command = null; // e.g. a type a newer node writes: skipped, not retried
                        }
                        rows.add(new Entry(rs.getLong("id"), rs.getString("origin"), command, null));
                    }
                }
                return rows;
            }
        });
    }

    /** @return the highest id in the table, 0 when it is empty */
    long newest() throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM push_outbox");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Deletes rows issued before {@code cutoff}; @return how many */
    int deleteIssuedBefore(Instant cutoff) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM push_outbox WHERE issued_at < ?")) {
                ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }
}
