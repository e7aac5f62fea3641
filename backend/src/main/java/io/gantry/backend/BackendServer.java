package io.gantry.backend;

import io.gantry.backend.alerts.AlertDispatcher;
import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertSink;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.rollout.RolloutProgressMetrics;
import io.gantry.backend.alerts.LogAlertSink;
import io.gantry.backend.alerts.MqttAlertSink;
import io.gantry.backend.alerts.OncePerIntervalRun;
import io.gantry.backend.alerts.PeriodicJobs;
import io.gantry.backend.alerts.WebhookAlertSink;
import io.gantry.backend.anomaly.AnomalyScan;
import io.gantry.backend.health.FleetHealthEvaluator;
import io.gantry.backend.health.FleetHealthRules;
import io.gantry.backend.rollout.RolloutScheduler;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Leftovers;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.JobLock;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.ddi.DownloadLimiter;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.est.EnrollmentRegistry;
import io.gantry.backend.est.EstEnrollment;
import io.gantry.backend.est.IssuingAuthority;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.health.HealthListener;
import io.gantry.backend.http.ConnectorUris;
import io.gantry.backend.incident.RevokedKeyWithdrawal;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.metrics.MetricsListener;
import io.gantry.backend.metrics.ScrapeCache;
import io.gantry.backend.mgmt.ActiveTrustRoot;
import io.gantry.backend.rollout.Rollouts;
import io.gantry.backend.mqtt.CommandPush;
import io.gantry.backend.mqtt.DeviceAdmission;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.ExternalBroker;
import io.gantry.backend.mqtt.ExternalBrokerConfig;
import io.gantry.backend.mqtt.OutboxRelay;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.backend.revocation.CertificateExpiryMetrics;
import io.gantry.backend.revocation.RegistryEnrollmentBridge;
import io.gantry.backend.revocation.RevocationHttpServer;
import io.gantry.backend.revocation.RevocationService;
import io.gantry.backend.tls.HandshakeFailureRecorder;
import io.gantry.backend.tls.HttpsConnectors;
import io.gantry.release.TrustRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final RevocationHttpServer revocationHttp;
    private final AlertDispatcher alerts;
    private final RolloutScheduler rollouts;
    /** How often the rollout scheduler looks at every rollout (it also runs after each device feedback). */
    private static final Duration ROLLOUT_TICK = Duration.ofSeconds(1);
    private final ScheduledExecutorService maintenance;
    private final HealthListener health;
    private final AtomicBoolean ready;
    private final EmbeddedBroker broker;
    private final Mqtt mqttClients;
    private final TargetRepository targets;
    /** How often poll times noted by {@link TargetRepository#recordPoll} are written. */
    private static final Duration LAST_SEEN_FLUSH = Duration.ofSeconds(1);
    private final MetricsListener metricsListener;
    private final FleetWatch fleetWatch;

    /**
     * The fleet alerts and the two periodic jobs that raise them.
     *
     * @param book the alerts
     * @param health the fleet-health evaluator
     * @param anomalies the anomaly scan
     * @param jobs the thread running both
     */
    record FleetWatch(AlertBook book, FleetHealthEvaluator health, AnomalyScan anomalies, PeriodicJobs jobs) {
    }

    /**
     * The MQTT parts besides the embedded broker, either may be {@code null}.
     *
     * @param external the client of an external broker
     * @param relay the push outbox relay to the other nodes' embedded brokers
     */
    record Mqtt(ExternalBroker external, OutboxRelay relay) {
        void close() {
            if (relay != null) {
                relay.close();
            }
            if (external != null) {
                external.close();
            }
        }
    }

    static {
        // JSSE server-side OCSP stapling (read by each new SSLContext): the server certificate's
        // status comes from its AIA URL, the backend's own responder (docs/backend-api.md, "Revocation").
        System.setProperty("jdk.tls.server.enableStatusRequestExtension", "true");
    }

    private BackendServer(Server jetty, ServerConnector connector, Database database, RevocationHttpServer revocationHttp,
            AlertDispatcher alerts, RolloutScheduler rollouts, ScheduledExecutorService maintenance, HealthListener health,
            AtomicBoolean ready, EmbeddedBroker broker, Mqtt mqttClients, TargetRepository targets, MetricsListener metricsListener,
            FleetWatch fleetWatch) {
        this.broker = broker;
        this.mqttClients = mqttClients;
        this.targets = targets;
        this.metricsListener = metricsListener;
        this.fleetWatch = fleetWatch;
        this.maintenance = maintenance;
        this.health = health;
        this.ready = ready;
        this.alerts = alerts;
        this.rollouts = rollouts;
        this.jetty = jetty;
        this.connector = connector;
        this.database = database;
        this.revocationHttp = revocationHttp;
    }

    /** @return the running JAX-RS application's resource model: every endpoint it serves, for tests that walk them */
    org.glassfish.jersey.server.model.ResourceModel resourceModel() {
        ServletContainer jersey = (ServletContainer) ((ServletContextHandler) jetty.getHandler()).getServletHandler()
                .getServlet("jersey").getServletInstance();
        return jersey.getApplicationHandler().getInjectionManager()
                .getInstance(org.glassfish.jersey.server.ExtendedResourceContext.class).getResourceModel();
    }

    /** @return {@code http://<host>:<port>} of the plain-HTTP CRL/OCSP listener */
    public URI revocationBaseUri() {
        return revocationHttp.baseUri();
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
     * @throws io.gantry.backend.db.DatabaseStartException if the configured PostgreSQL database cannot be used
     *     (its {@code code()}: DATABASE_UNREACHABLE, DATABASE_LOGIN_REFUSED, DATABASE_MISSING)
     * @throws GeneralSecurityException if a key store or trust anchor cannot be read
     */
    public static BackendServer start(BackendConfig config, Clock clock) throws IOException, GeneralSecurityException {
        return start(config, null, clock);
    }

    /**
     * As {@link #start(BackendConfig, Clock)}, with EST enrollment (docs/backend-api.md, "EST") by the
     * issuing CA {@code enrollment} names; {@code null} serves no EST. The issuing CA and the retired
     * intermediates are read once here: after rotating or retiring an intermediate, restart.
     *
     * @throws GeneralSecurityException also if the issuing CA does not chain to the client trust anchor or is retired
     */
    public static BackendServer start(BackendConfig config, EnrollmentConfig enrollment, Clock clock)
            throws IOException, GeneralSecurityException {
        return start(config, enrollment, null, clock);
    }

    /**
     * As {@link #start(BackendConfig, EnrollmentConfig, Clock)}, and security events whose code
     * {@code alerts} lists are posted to its webhook ({@link AlertDispatcher}); {@code null} sends none.
     */
    public static BackendServer start(BackendConfig config, EnrollmentConfig enrollment, AlertWebhook alerts, Clock clock)
            throws IOException, GeneralSecurityException {
        return start(config, ServiceSettings.DEFAULT, enrollment, alerts, clock);
    }

    /**
     * As {@link #start(BackendConfig, EnrollmentConfig, AlertWebhook, Clock)}, with the listeners' limits,
     * the EST renewal policy and the health listener of {@code settings}.
     */
    public static BackendServer start(BackendConfig config, ServiceSettings settings, EnrollmentConfig enrollment,
            AlertWebhook alerts, Clock clock) throws IOException, GeneralSecurityException {
        return start(config, settings, enrollment, alerts, MqttBrokerConfig.OFF, clock);
    }

    /**
     * As {@link #start(BackendConfig, ServiceSettings, EnrollmentConfig, AlertWebhook, Clock)}, with the
     * embedded MQTT broker {@code mqtt} describes (docs/mqtt.md): devices connect to it with their
     * certificates and the backend pushes {@code checkIn}, {@code cancel} and {@code trustRoot} through it.
     */
    public static BackendServer start(BackendConfig config, ServiceSettings settings, EnrollmentConfig enrollment,
            AlertWebhook alerts, MqttBrokerConfig mqtt, Clock clock) throws IOException, GeneralSecurityException {
        return start(config, settings, enrollment, alerts, mqtt, null, clock);
    }

    /**
     * As {@link #start(BackendConfig, ServiceSettings, EnrollmentConfig, AlertWebhook, MqttBrokerConfig, Clock)}, and
     * with {@code external} ({@code null}: none) the backend also connects to that external broker as its push
     * identity, publishes every command and fleet alert there and reads device statuses from it (docs/mqtt.md).
     * With the embedded broker on, commands also go through the shared push outbox to every other node's broker.
     *
     * @throws IllegalArgumentException also if the push identity or the broker's CA file cannot be used
     */
    public static BackendServer start(BackendConfig config, ServiceSettings settings, EnrollmentConfig enrollment,
            AlertWebhook alerts, MqttBrokerConfig mqtt, ExternalBrokerConfig external, Clock clock)
            throws IOException, GeneralSecurityException {
        config.validate();
        ExternalBrokerConfig.Credentials checked = external == null ? null : external.load();
        IssuingAuthority issuing = enrollment == null ? null : IssuingAuthority.load(enrollment, config.clientTrustAnchor(), clock);
        TrustRoot trustRoot = ReleaseTrust.load(config.releaseTrustRoot(), clock.instant());
        Path data = config.dataDir().toAbsolutePath();
        Path spool = Files.createDirectories(data.resolve("tmp"));
        // Another node sharing the data folder may be spooling an upload right now: only abandoned files go.
        Leftovers.deleteAbandoned(spool, clock.instant());
        BackendMetrics metrics = new BackendMetrics();
        CompletableFuture<DeviceAdmission> admission = new CompletableFuture<>();
        // The broker (about two seconds, most of it class loading) starts on its own thread first, while the
        // database opens and Jetty and Jersey start here; it admits no client before the backend hands over its
        // check (DeviceAdmission). The backend is ready only once both are; a command pushed meanwhile goes out
        // when it listens.
        CompletableFuture<EmbeddedBroker> brokerStart = mqtt.enabled()
                ? startBroker(mqtt, config, data.resolve("mqtt"), admission, new DeviceStatusBoard(clock), metrics) : null;
        Database database;
        try {
            database = Database.open(config.database(), data.resolve("db"));
        } catch (IOException | RuntimeException e) {
            admission.completeExceptionally(e);
            closeWhenStarted(brokerStart);
            throw e;
        }
        Server jetty = null;
        RevocationHttpServer revocationHttp = null;
        ScheduledExecutorService maintenance = null;
        HealthListener healthListener = null;
        AtomicBoolean ready = new AtomicBoolean();
        EmbeddedBroker broker = null;
        ExternalBroker externalBroker = null;
        OutboxRelay relay = null;
        MetricsListener metricsListener = null;
        PeriodicJobs jobs = null;
        try {
            if (settings.healthPort() >= 0) {
                // First, so a load balancer sees 503 (not a refused connection) while the backend starts.
                healthListener = HealthListener.start(config.bindHost(), settings.healthPort(), database, ready::get);
            }
            SecurityEvents events = new SecurityEvents(database, new SecurityEventRepository(), clock, config.maxSecurityEvents(),
                    metrics);
            RevocationService revocation = RevocationService.open(config, database, events, clock,
                    settings.reenrollment().supersededGrace(), metrics);
            maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gantry-maintenance");
                t.setDaemon(true);
                return t;
            });
            maintenance.scheduleWithFixedDelay(() -> supersedeOverdue(revocation), 0, 1, TimeUnit.MINUTES);
            TargetRepository targets = new TargetRepository();
            maintenance.scheduleWithFixedDelay(() -> flushLastSeen(targets, database), LAST_SEEN_FLUSH.toMillis(),
                    LAST_SEEN_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
            // Before the HTTPS connector: JSSE fetches its OCSP staple from this responder (server certificate's AIA).
            revocationHttp = RevocationHttpServer.start(config.bindHost(), config.revocationPort(), revocation.crl(),
                    revocation.ocsp(), settings.revocationListener());
            ArtifactStore artifacts = ArtifactStore.open(data.resolve("artifacts"), clock);
            // The configured root, then every rotation a trust-root release activated since (fail closed on a broken chain).
            ActiveTrustRoot trust = ActiveTrustRoot.restore(trustRoot, ReleaseTrust.TWO_PERSON_MINIMUM, database, artifacts);
            BackendServices services = new BackendServices(config, clock, database, artifacts,
                    trust, spool, targets, new ReleaseRepository(), new ActionRepository(),
                    events,
                    issuing == null ? null : new EstEnrollment(issuing, database, events,
                            new RegistryEnrollmentBridge(revocation.registry(), revocation.renewals()), settings.reenrollment(),
                            clock),
                    revocation, new DownloadLimiter(config.downloadQuota(), database, clock), metrics);
            admission.complete(new DeviceAdmission(JerseyApplication.clientCheck(services), services.securityEvents()));
            List<CommandPush> pushes = new ArrayList<>();
            if (brokerStart != null) {
                // Every node appends its commands to the shared outbox and relays the other nodes' to its own broker.
                CompletableFuture<EmbeddedBroker> started = brokerStart;
                relay = OutboxRelay.start(database, pushWhenStarted(brokerStart),
                        json -> started.thenAccept(b -> b.publishFleetAlert(json)), clock);
                pushes.add(relay);
            }
            if (checked != null) {
                externalBroker = ExternalBroker.start(external, new DeviceStatusBoard(clock), metrics);
                pushes.add(externalBroker);
            }
            CommandPush push = pushes.isEmpty() ? CommandPush.NONE : pushes.size() == 1 ? pushes.get(0)
                    : command -> pushes.forEach(p -> p.push(command));
            RolloutScheduler rollouts = new RolloutScheduler(JerseyApplication.rolloutServices(services, push));
            trust.listener(new RevokedKeyWithdrawal(services.releases(), services.actions(),
                    new Rollouts(JerseyApplication.rolloutServices(services, push), rollouts), services.securityEvents()));
            List<AlertSink> sinks = new ArrayList<>(List.of(new LogAlertSink(), new WebhookAlertSink(services.securityEvents())));
            if (relay != null) {
                sinks.add(new MqttAlertSink(relay::publishFleetAlert));
            }
            if (externalBroker != null) {
                sinks.add(new MqttAlertSink(externalBroker::publishFleetAlert));
            }
            if (brokerStart == null && externalBroker == null) {
                LOG.info("no MQTT broker: fleet alerts go to the log and the webhook only");
            }
            AlertBook alertBook = new AlertBook(database, clock, sinks);
            FleetHealthEvaluator fleetHealth = new FleetHealthEvaluator(database, alertBook,
                    new FleetHealthRules(settings.fleetHealth(), config.pollingSleep()), clock);
            AnomalyScan anomalies = new AnomalyScan(database, alertBook, settings.anomalies(), clock);
            QueuedThreadPool threads = new QueuedThreadPool(settings.httpThreads(), 4);
            threads.setName("gantry-backend");
            jetty = new Server(threads);
            ServerConnector connector = HttpsConnectors.mutualTls(jetty, config,
                    new HandshakeFailureRecorder(services.securityEvents(), metrics), JerseyApplication.clientCheck(services),
                    List.of(revocation.issuingCa()));
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder("jersey", new ServletContainer(JerseyApplication.create(services, rollouts,
                    push, alertBook))), "/*");
            ErrorHandler errors = new ErrorHandler();
            errors.setShowStacks(false);
            errors.setShowMessageInTitle(false);
            jetty.setErrorHandler(errors);
            jetty.setHandler(context);
            jetty.setStopAtShutdown(false);
            jetty.start();
            if (brokerStart != null) {
                broker = awaitBroker(brokerStart);
            }
            AlertDispatcher dispatcher = alerts == null ? null : new AlertDispatcher(alerts, database, clock);
            if (dispatcher != null) {
                dispatcher.start();
            }
            rollouts.start(ROLLOUT_TICK);
            if (settings.metricsPort() >= 0) {
                registerDatabaseMetrics(metrics, database, clock, settings.metricsDatabaseMaxAge());
                metricsListener = MetricsListener.start(settings.metricsBind(), settings.metricsPort(), metrics);
            }
            // First runs one interval after start: the fleet's state right after a restart says little.
            jobs = new PeriodicJobs();
            // Every node schedules both; a job lock lets one node run each per interval (docs/operations.md).
            jobs.schedule(new OncePerIntervalRun("fleet health", new JobLock(database, FleetHealthEvaluator.LOCK),
                    settings.fleetHealth().interval(), clock, fleetHealth::evaluate),
                    settings.fleetHealth().interval(), settings.fleetHealth().interval());
            jobs.schedule(new OncePerIntervalRun("anomaly scan", new JobLock(database, AnomalyScan.LOCK),
                    settings.anomalies().interval(), clock, anomalies::scan),
                    settings.anomalies().interval(), settings.anomalies().interval());
            BackendServer server = new BackendServer(jetty, connector, database, revocationHttp, dispatcher, rollouts,
                    maintenance, healthListener, ready, broker, new Mqtt(externalBroker, relay), targets, metricsListener,
                    new FleetWatch(alertBook, fleetHealth, anomalies, jobs));
            ready.set(true);
            LOG.info("Gantry backend listening on {} (tenant {}, release trust root version {}, major versions {})",
                    server.baseUri(), config.tenant(), trust.current().version(), new TreeSet<>(trust.current().releases().keySet()));
            return server;
        } catch (Exception e) {
            if (jobs != null) {
                jobs.close();
            }
            if (maintenance != null) {
                maintenance.shutdownNow();
            }
            if (healthListener != null) {
                healthListener.close();
            }
            if (metricsListener != null) {
                metricsListener.close();
            }
            stopQuietly(jetty);
            new Mqtt(externalBroker, relay).close();
            admission.completeExceptionally(e);
            if (broker != null) {
                broker.close();
            } else {
                closeWhenStarted(brokerStart);
            }
            if (revocationHttp != null) {
                revocationHttp.close();
            }
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

    /** @return {@code http://<host>:<port>/health} of the health listener, or {@code null} when it has none */
    public URI healthUri() {
        return health == null ? null : health.uri();
    }

    /** @return {@code http://<host>:<port>/metrics} of the metrics listener, or {@code null} when it has none */
    public URI metricsUri() {
        return metricsListener == null ? null : metricsListener.uri();
    }

    /**
     * The gauges read from the database at scrape time, each computed at most once per
     * {@code maxAge}: certificate expiry and rollout progress.
     */
    private static void registerDatabaseMetrics(BackendMetrics metrics, Database database, Clock clock, Duration maxAge) {
        CertificateExpiryMetrics expiry = new CertificateExpiryMetrics(database, clock);
        metrics.register(new ScrapeCache("certificate expiry", maxAge, System::nanoTime, expiry::compute));
        RolloutProgressMetrics progress = new RolloutProgressMetrics(database);
        metrics.register(new ScrapeCache("rollout progress", maxAge, System::nanoTime, progress::compute));
    }

    /** @return the most threads the HTTPS listener runs (the {@code http-threads} setting) */
    public int httpThreads() {
        return ((QueuedThreadPool) jetty.getThreadPool()).getMaxThreads();
    }

    /** @return the bound TCP port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code https://<host>:<port>}, with 127.0.0.1 when bound to a wildcard address */
    public URI baseUri() {
        return ConnectorUris.of("https", connector);
    }

    /** @return the rollout scheduler (ticking on its own; a test may also call {@link RolloutScheduler#tick}) */
    public RolloutScheduler rollouts() {
        return rollouts;
    }

    /** @return the fleet alerts (also what a metrics gauge reads: {@link AlertBook#unresolvedCounts()}) */
    public AlertBook alerts() {
        return fleetWatch.book();
    }

    /** @return the fleet-health evaluator (running on its own; a test may also call {@link FleetHealthEvaluator#evaluate}) */
    public FleetHealthEvaluator fleetHealth() {
        return fleetWatch.health();
    }

    /** @return the anomaly scan (running on its own; a test may also call {@link AnomalyScan#scan}) */
    public AnomalyScan anomalyScan() {
        return fleetWatch.anomalies();
    }

    /** @return the client of the external MQTT broker, empty when none is configured */
    public java.util.Optional<ExternalBroker> mqttClient() {
        return java.util.Optional.ofNullable(mqttClients.external());
    }

    /** @return the embedded MQTT broker, empty when it is off */
    public java.util.Optional<EmbeddedBroker> mqttBroker() {
        return java.util.Optional.ofNullable(broker);
    }

    /** Stops listening, waits for running requests, stops the MQTT broker, then closes the database. */
    @Override
    public void close() {
        // Not ready first: a load balancer stops sending new clients while running requests finish.
        ready.set(false);
        rollouts.close();
        fleetWatch.jobs().close();
        maintenance.shutdownNow();
        if (alerts != null) {
            alerts.close();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("error stopping Jetty", e);
        } finally {
            mqttClients.close();
            if (broker != null) {
                broker.close();
            }
            revocationHttp.close();
            if (health != null) {
                health.close();
            }
            if (metricsListener != null) {
                metricsListener.close();
            }
            // After Jetty stopped: no poll notes a time any more.
            flushLastSeen(targets, database);
            database.close();
        }
    }

    /** Starts the embedded broker on a thread of its own. */
    private static CompletableFuture<EmbeddedBroker> startBroker(MqttBrokerConfig mqtt, BackendConfig config, Path dir,
            CompletableFuture<DeviceAdmission> admission, DeviceStatusBoard statuses, BackendMetrics metrics) {
        CompletableFuture<EmbeddedBroker> started = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                started.complete(EmbeddedBroker.start(mqtt, config, dir, admission, statuses, metrics));
            } catch (Exception | Error e) {
                started.completeExceptionally(e);
            }
        }, "gantry-mqtt-start");
        t.setDaemon(true);
        t.start();
        return started;
    }

    /** Closes the broker once its start ends (a failed start has nothing to close); {@code null}: none. */
    private static void closeWhenStarted(CompletableFuture<EmbeddedBroker> start) {
        if (start != null) {
            start.thenAccept(EmbeddedBroker::close);
        }
    }

    /** @return the started broker; its start failure as thrown by {@link EmbeddedBroker#start} */
    private static EmbeddedBroker awaitBroker(CompletableFuture<EmbeddedBroker> start) throws IOException, GeneralSecurityException {
        try {
            return start.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof GeneralSecurityException gse) {
                throw gse;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("cannot start the MQTT broker: " + e.getCause(), e.getCause());
        }
    }

    /** Pushes through the broker once it listens, without waiting for it (as {@link CommandPush#push} promises). */
    private static CommandPush pushWhenStarted(CompletableFuture<EmbeddedBroker> start) {
        return command -> start.thenAccept(b -> b.push(command));
    }

    /** Writes the poll times noted since the last flush (every second, and at close). */
    private static void flushLastSeen(TargetRepository targets, Database database) {
        try {
            targets.flushLastSeen(database);
        } catch (Exception e) {
            LOG.warn("could not write the last-seen times of polling devices; trying again at the next flush", e);
        }
    }

    /** Revokes the certificates EST renewals replaced whose grace period has passed (every minute). */
    private static void supersedeOverdue(RevocationService revocation) {
        try {
            int n = revocation.renewals().supersedeOverdue();
            if (n > 0) {
                LOG.info("revoked {} certificate(s) superseded by renewals past their grace period", n);
            }
        } catch (Exception e) {
            LOG.error("could not revoke superseded certificates; trying again in a minute", e);
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
}
