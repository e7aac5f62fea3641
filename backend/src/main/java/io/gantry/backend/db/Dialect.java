package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The kinds of database the backend runs on, for the few statements they spell differently
 * (upserts: H2's {@code MERGE ... KEY}, PostgreSQL's {@code INSERT ... ON CONFLICT}). Everything
 * else is written once, in SQL both accept.
 */
public enum Dialect {
    /** Embedded H2 (the default). */
    H2,
    /** PostgreSQL (production, several nodes on one database). */
    POSTGRESQL;

    /** SQLSTATE of a unique or primary key violation, the same on both. */
    public static final String DUPLICATE_KEY = "23505";

    /** @return the dialect of the database {@code c} is connected to */
    public static Dialect of(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres") ? POSTGRESQL : H2;
    }

    /** @return whether {@code e} (or an exception it wraps) is a unique or primary key violation */
    public static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (DUPLICATE_KEY.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
