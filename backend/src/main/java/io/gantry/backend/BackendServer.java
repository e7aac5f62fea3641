package io.gantry.backend;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.tls.HandshakeFailureRecorder;
import io.gantry.backend.tls.HttpsConnectors;
import io.gantry.release.TrustRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.TreeSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gantry backend: Jetty 12 with a single mutual-TLS connector, serving the device API
 * ({@code /{tenant}/controller/v1/...}) and the management API ({@code /rest/v1/...}) through
 * Jersey. Start it with {@link #start}; {@link #close} stops it and closes the database.
 */
public final class BackendServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendServer.class);
    private final Server jetty;
    private final ServerConnector connector;
    private final Database database;

    private BackendServer(Server jetty, ServerConnector connector, Database database) {
        this.jetty = jetty;
        this.connector = connector;
        this.database = database;
    }

    /**
     * Validates {@code config}, loads the release trust root ({@link ReleaseTrust}), opens storage and
     * starts listening.
     *
     * @param config what to serve and with which keys
     * @param clock the time source for every timestamp the backend writes
     * @return the running server
     * @throws IllegalArgumentException if the configuration is invalid or the release trust root does not
     *     load, is not signed by its own root threshold or has a role below the two-person minimum
     * @throws IOException if storage cannot be opened or the port cannot be bound
     * @throws GeneralSecurityException if a key store or trust anchor cannot be read
     */
    public static BackendServer start(BackendConfig config, Clock clock) throws IOException, GeneralSecurityException {
        config.validate();
        TrustRoot trustRoot = ReleaseTrust.load(config.releaseTrustRoot(), clock.instant());
        Path data = config.dataDir().toAbsolutePath();
        Path spool = Files.createDirectories(data.resolve("tmp"));
        clearSpool(spool);
        Database database = Database.open(data.resolve("db"));
        Server jetty = null;
        try {
            BackendServices services = new BackendServices(config, clock, database, ArtifactStore.open(data.resolve("artifacts")),
                    trustRoot, spool, new TargetRepository(), new ReleaseRepository(), new ActionRepository(),
                    new SecurityEvents(database, new SecurityEventRepository(), clock, config.maxSecurityEvents()));
            QueuedThreadPool threads = new QueuedThreadPool(64, 4);
            threads.setName("gantry-backend");
            jetty = new Server(threads);
            ServerConnector connector = HttpsConnectors.mutualTls(jetty, config,
                    new HandshakeFailureRecorder(services.securityEvents()));
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder("jersey", new ServletContainer(JerseyApplication.create(services))), "/*");
            ErrorHandler errors = new ErrorHandler();
            errors.setShowStacks(false);
            errors.setShowMessageInTitle(false);
            jetty.setErrorHandler(errors);
            jetty.setHandler(context);
            jetty.setStopAtShutdown(false);
            jetty.start();
            BackendServer server = new BackendServer(jetty, connector, database);
            LOG.info("Gantry backend listening on {} (tenant {}, release trust root version {}, major versions {})",
                    server.baseUri(), config.tenant(), trustRoot.version(), new TreeSet<>(trustRoot.releases().keySet()));
            return server;
        } catch (Exception e) {
            stopQuietly(jetty);
            database.close();
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof GeneralSecurityException gse) {
                throw gse;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("cannot start the backend: " + e.getMessage(), e);
        }
    }

    /** @return the bound TCP port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code https://<host>:<port>}, with 127.0.0.1 when bound to a wildcard address */
    public URI baseUri() {
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Stops listening, waits for running requests, then closes the database. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("error stopping Jetty", e);
        } finally {
            database.close();
        }
    }

    private static void stopQuietly(Server jetty) {
        if (jetty == null) {
            return;
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("error stopping Jetty after a failed start", e);
        }
    }

    private static void clearSpool(Path spool) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(spool)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }
}
