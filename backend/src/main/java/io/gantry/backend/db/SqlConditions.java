package io.gantry.backend.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A WHERE clause built from fixed condition texts and bound values (never concatenated input),
 * for the management searches; binds strings, longs and instants in order.
 */
final class SqlConditions {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    /** Adds {@code condition} with its {@code ?} values. */
    SqlConditions and(String condition, Object... values) {
        sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
        args.addAll(List.of(values));
        return this;
    }

    /** Adds {@code condition} with one value if present. */
    SqlConditions andIf(String condition, Optional<?> value) {
        value.ifPresent(v -> and(condition, v));
        return this;
    }

    /** @return the clause, empty or starting with a space */
    String sql() {
        return sql.toString();
    }

    /** Binds the values from index 1; @return the next free index */
    int bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        for (Object a : args) {
            if (a instanceof Instant instant) {
                Timestamps.set(ps, i++, instant);
            } else if (a instanceof Long l) {
                ps.setLong(i++, l);
            } else {
                ps.setString(i++, a.toString());
            }
        }
        return i;
    }
}
