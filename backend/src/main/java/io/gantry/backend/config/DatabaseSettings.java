package io.gantry.backend.config;

import java.util.Locale;

/**
 * Which database the backend keeps its rows in. {@link #EMBEDDED} (the default) is an H2 file
 * database in the data folder ({@code <data>/db/gantry.mv.db}): one command, nothing to install.
 * A {@code jdbc:postgresql://host:port/database} URL with a user and password selects that
 * PostgreSQL database instead, for production and for several backend nodes on one database; the
 * database must exist, and the backend creates its tables in it (Flyway) at start.
 *
 * @param jdbcUrl {@code null} for the embedded H2 database, else a {@code jdbc:postgresql://} URL
 * @param user the PostgreSQL login ({@code null} when embedded)
 * @param password its password ({@code null} when embedded); never printed by {@link #toString()}
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {
    /** The embedded H2 database in the data folder. */
    public static final DatabaseSettings EMBEDDED = new DatabaseSettings(null, null, null);
    /** The URL prefix that selects PostgreSQL. */
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql://";

    /** @return settings for the PostgreSQL database at {@code jdbcUrl}, logging in as {@code user} */
    public static DatabaseSettings postgresql(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(jdbcUrl, user, password);
    }

    /** @return whether this is the embedded H2 database */
    public boolean embedded() {
        return jdbcUrl == null;
    }

    /**
     * Checks the settings without connecting ({@link io.gantry.backend.db.Database#open} connects and says
     * whether the server answered and accepted the login).
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public void validate() {
        if (embedded()) {
            if (user != null || password != null) {
                throw new IllegalArgumentException("a database user or password needs a " + POSTGRESQL_PREFIX + " URL");
            }
            return;
        }
        if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith(POSTGRESQL_PREFIX) || jdbcUrl.length() == POSTGRESQL_PREFIX.length()) {
            throw new IllegalArgumentException("database URL must be " + POSTGRESQL_PREFIX + "host[:port]/database (or none for the "
                    + "embedded H2 database): " + redacted(jdbcUrl));
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL needs a database user");
        }
        if (password == null) {
            throw new IllegalArgumentException("PostgreSQL needs a database password (an empty one is allowed)");
        }
    }

    /** @return the URL without its query (which may carry a password), for messages and logs */
    public String describe() {
        return embedded() ? "embedded H2" : redacted(jdbcUrl) + " as " + user;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + describe() + "]";
    }

    private static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
