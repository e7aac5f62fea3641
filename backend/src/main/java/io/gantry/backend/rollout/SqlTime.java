package io.gantry.backend.rollout;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Instants as {@code TIMESTAMP WITH TIME ZONE} in UTC, portable across H2 and PostgreSQL. */
final class SqlTime {
    private SqlTime() {
    }

    static void set(PreparedStatement ps, int index, Instant t) throws SQLException {
        ps.setObject(index, t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    static Instant get(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
