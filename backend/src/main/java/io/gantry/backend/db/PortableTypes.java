package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Makes PostgreSQL accept the column types the migrations were first written with for H2, so one
 * set of migrations serves both and no applied migration (whose checksum Flyway keeps) changes:
 * {@code BLOB} becomes a domain over {@code bytea}, which the driver reads and writes as bytes.
 * Created in the current schema just before the first pending migration runs (after Flyway's check
 * that a new schema is empty, under Flyway's lock, so two nodes starting together create it once).
 */
final class PortableTypes implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            Connection c = context.getConnection();
            if (Dialect.of(c) != Dialect.POSTGRESQL) {
                return;
            }
            try (Statement st = c.createStatement()) {
                boolean exists;
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                        + "WHERE t.typname = 'blob' AND n.nspname = current_schema()")) {
                    exists = rs.next();
                }
                if (!exists) {
                    st.execute("CREATE DOMAIN blob AS bytea");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the portable column types: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "gantry-portable-types";
    }
}
