package io.gantry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, one per JVM, started on first use on a free loopback port
 * with its data in a temporary folder, stopped and deleted when the JVM exits; each
 * {@link #createDatabase()} adds a fresh database to it (or a copy of a prepared one). Tests choose PostgreSQL with the system
 * property {@value #PROPERTY}{@code =postgresql} (the backend's second Surefire run sets it).
 *
 * <p>The binaries are Debian's {@code postgresql} package ({@code scripts/install-test-deps.sh}
 * installs it; {@code /usr/lib/postgresql/<major>/bin}, the newest major, or the folder in the
 * system property {@value #BIN_PROPERTY}). PostgreSQL refuses to run as root, and CI runs as root:
 * there {@code initdb} and the server run as the {@code postgres} user (through {@code runuser}),
 * elsewhere as the current user. Logins use a password (scram-sha-256), as in production; the
 * server trades durability for speed ({@code fsync=off}).
 */
public final class TestPostgres {
    /** System property naming the tests' database: {@code h2} (default) or {@code postgresql}. */
    public static final String PROPERTY = "gantry.test.db";
    /** System property: the folder of {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    public static final String BIN_PROPERTY = "gantry.test.pg.bin";
    /** The superuser the tests log in as. */
    public static final String USER = "gantry";
    /** Its password. */
    public static final String PASSWORD = "gantry-test-password";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres server;

    private final Path bin;
    private final Path home;
    private final int port;
    private final boolean root;

    private TestPostgres(Path bin, Path home, int port, boolean root) {
        this.bin = bin;
        this.home = home;
        this.port = port;
        this.root = root;
    }

    /** @return whether the tests run against PostgreSQL ({@value #PROPERTY}{@code =postgresql}) */
    public static boolean selected() {
        return "postgresql".equalsIgnoreCase(System.getProperty(PROPERTY, "h2"));
    }

    /** @return the JVM's server, started if it is not running yet */
    public static synchronized TestPostgres server() {
        if (server == null) {
            try {
                server = start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
            }
        }
        return server;
    }

    /** @return the JDBC URL of a new, empty database on the JVM's server */
    public static String createDatabase() {
        return createDatabase("template1");
    }

    /**
     * @param template the database to copy (no session may be connected to it)
     * @return the JDBC URL of a new database on the JVM's server, a copy of {@code template}
     */
    public static String createDatabase(String template) {
        TestPostgres s = server();
        String name = "gantry_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.url("postgres"), USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return s.url(name);
    }

    /** @return the name of the database at {@code url} (from {@link #createDatabase}) */
    public static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** @return the JDBC URL of database {@code name} on this server */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** @return the TCP port the server listens on (loopback) */
    public int port() {
        return port;
    }

    private static TestPostgres start() throws IOException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Files.createTempDirectory("gantry-pg");
        Path data = home.resolve("data");
        Path pwfile = home.resolve("password");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (root) {
            UserPrincipal postgres = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(home, postgres);
            Files.setOwner(pwfile, postgres);
        }
        int port = freePort();
        TestPostgres pg = new TestPostgres(bin, home, port, root);
        pg.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "test-postgres-stop"));
        pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + home
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
                "start"));
        return pg;
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", home.resolve("data").toString(), "-m", "immediate", "stop"));
        } catch (IOException | RuntimeException e) {
            System.err.println("test PostgreSQL did not stop: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + home + ": " + e.getMessage());
        }
    }

    private void run(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("gantry-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                Path log = home.resolve("server.log");
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + Files.readString(out)
                        + (Files.isReadable(log) ? "\nserver log:\n" + Files.readString(log) : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path binaries() throws IOException {
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> majors = Files.list(versions)) {
                Path newest = majors.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> major(p.getFileName().toString()))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IOException("no PostgreSQL server binaries in /usr/lib/postgresql/<major>/bin: install Debian's postgresql "
                + "(scripts/install-test-deps.sh) or set -D" + BIN_PROPERTY);
    }

    private static int major(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
