package io.gantry.backend.db;

import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.failure.DatabaseFailure;
import java.sql.SQLException;

/**
 * The configured PostgreSQL database could not be opened at start: the server did not answer,
 * refused the login, or has no such database. The message starts with the stable code and names
 * the URL (without its query) and user, never the password.
 */
public final class DatabaseStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient DatabaseFailure code;

    DatabaseStartException(DatabaseFailure code, String message, Throwable cause) {
        super(code.name() + ": " + message, cause);
        this.code = code;
    }

    /** @return why the database could not be opened */
    public DatabaseFailure code() {
        return code;
    }

    /** Classifies what the driver said when the first connection failed ({@code sql} may be null). */
    static DatabaseStartException of(DatabaseSettings settings, SQLException sql, Exception failure) {
        String state = sql == null ? "" : String.valueOf(sql.getSQLState());
        String said = sql == null ? failure.getMessage() : sql.getMessage();
        String where = settings.describe();
        if (state.startsWith("28")) { // invalid_authorization_specification, invalid_password
            return new DatabaseStartException(DatabaseFailure.DATABASE_LOGIN_REFUSED,
                    "PostgreSQL refused the login (" + where + "): " + said, failure);
        }
        if (state.equals("3D000")) { // invalid_catalog_name
            return new DatabaseStartException(DatabaseFailure.DATABASE_MISSING,
                    "PostgreSQL has no such database (" + where + "); create it first: " + said, failure);
        }
        return new DatabaseStartException(DatabaseFailure.DATABASE_UNREACHABLE,
                "cannot reach PostgreSQL (" + where + "): " + said, failure);
    }
}
