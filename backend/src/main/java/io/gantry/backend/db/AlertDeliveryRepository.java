package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.OptionalLong;

/** The {@code alert_delivery} table: per webhook, the id of the last security event it was served. */
public final class AlertDeliveryRepository {

    /** @return the last delivered event id for {@code webhook}, empty if it was never served */
    public OptionalLong cursor(Connection c, String webhook) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM alert_delivery WHERE webhook = ?")) {
            ps.setString(1, webhook);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Sets the cursor of {@code webhook} to {@code lastEventId}. */
    public void save(Connection c, String webhook, long lastEventId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Dialect.of(c) == Dialect.POSTGRESQL
                ? "INSERT INTO alert_delivery (webhook, last_event_id, updated_at) VALUES (?, ?, ?) ON CONFLICT (webhook) "
                        + "DO UPDATE SET last_event_id = EXCLUDED.last_event_id, updated_at = EXCLUDED.updated_at"
                : "MERGE INTO alert_delivery (webhook, last_event_id, updated_at) KEY (webhook) VALUES (?, ?, ?)")) {
            ps.setString(1, webhook);
            ps.setLong(2, lastEventId);
            Timestamps.set(ps, 3, at);
            ps.executeUpdate();
        }
    }
}
