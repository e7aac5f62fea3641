package io.gantry.cli;

import io.gantry.backend.config.DatabaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The database options of every command that opens the backend's database ({@code backend},
 * {@code revoke}, {@code download-log verify}): none for the embedded H2 database in the data
 * folder, or a PostgreSQL URL with its user and a file holding the password (docs/architecture.md,
 * "Storage"). A command must be given the same database as the backend it works on.
 */
final class DatabaseOptions {
    @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "PostgreSQL database instead of the embedded H2 one: "
            + "jdbc:postgresql://HOST[:PORT]/DATABASE (the database must exist; the backend creates its tables)")
    String url;
    @Option(names = "--db-user", paramLabel = "USER", description = "PostgreSQL user (with --db-url)")
    String user;
    @Option(names = "--db-password-file", paramLabel = "FILE", description = "file holding the PostgreSQL password, "
            + "one line (with --db-url)")
    Path passwordFile;

    /**
     * @return the settings these options name
     * @throws IllegalArgumentException if they are incomplete or the URL is not a PostgreSQL one
     * @throws IOException if the password file cannot be read
     */
    DatabaseSettings settings() throws IOException {
        if (url == null) {
            if (user != null || passwordFile != null) {
                throw new IllegalArgumentException("--db-user and --db-password-file need --db-url");
            }
            return DatabaseSettings.EMBEDDED;
        }
        if (passwordFile == null) {
            throw new IllegalArgumentException("--db-url needs --db-user and --db-password-file");
        }
        String password = Files.readString(passwordFile);
        DatabaseSettings s = DatabaseSettings.postgresql(url, user, password.endsWith("\n")
                ? password.substring(0, password.length() - (password.endsWith("\r\n") ? 2 : 1)) : password);
        s.validate();
        return s;
    }
}
