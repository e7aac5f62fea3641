package io.gantry.backend.failure;

import io.gantry.api.failure.FailureCode;

/**
 * Why the backend could not open its database at start (a PostgreSQL one: the embedded H2 database
 * has no server to miss). The backend then does not start; the code leads the error message.
 */
public enum DatabaseFailure implements FailureCode {
    DATABASE_UNREACHABLE("No PostgreSQL server answered at the configured URL (host, port, network or TLS)."),
    DATABASE_LOGIN_REFUSED("The PostgreSQL server refused the configured user and password (or its pg_hba.conf refused the client)."),
    DATABASE_MISSING("The PostgreSQL server has no database of the configured name: create it first (docs/architecture.md, Storage).");

    private final String meaning;

    DatabaseFailure(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
