package io.gantry.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.agent.CheckInTrigger;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.metrics.MetricsSink;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Polls the backend's device API with the device certificate, applies each assigned release
 * through the {@link UpdateAgent} and reports the outcome as hawkBit-style feedback. One thread;
 * a failed poll is retried after a growing, jittered wait ({@link PollBackoff}), an applied or
 * rejected action is always closed (its report journaled until the backend takes it),
 * except a download the backend deferred (429, download quota): that action stays open and is
 * fetched again after the backend's {@code Retry-After}. As a {@link CheckInTrigger} it polls at
 * once when a push transport asks.
 */
@Component(configurationPid = "io.gantry.agent", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = DdiAgentConfig.class)
public final class DdiPoller implements CheckInTrigger {
    private static final System.Logger LOG = System.getLogger(DdiPoller.class.getName());

    private final DeviceIdentity identity;
    private final UpdateAgent agent;
    private final URI backend;
    private final String tenant;
    private final Duration defaultSleep;
    private final DownloadLimits limits;
    private final ScheduledExecutorService scheduler;
    /**
     * The asynchronous tasks of every cycle's HTTP client (a fresh client per cycle, below): one
     * pool whose idle threads end after a few seconds, rather than a pool per client whose threads
     * stay idle for a minute.
     */
    private final ThreadPoolExecutor httpTasks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "gantry-ddi-http");
                t.setDaemon(true);
                return t;
            });
    private final ReportJournal journal;
    private final PendingTransactions pending;
    private final ClosedActions closed;
    private final PollBackoff backoff = new PollBackoff(new java.security.SecureRandom());
    /** Failed polls in a row (poller thread only). */
    private int failures;
    /** {@code System.nanoTime()} before which a deferred deployment is not fetched again (poller thread only). */
    private long deferredUntil = System.nanoTime();
    /** The next scheduled poll, {@code null} while one runs (guarded by {@code this}). */
    private ScheduledFuture<?> nextPoll;
    /** A check-in was asked for while a poll ran: the next one starts at once (guarded by {@code this}). */
    private boolean pollAgainAtOnce;
    /** Where polls, downloads and transaction outcomes are counted, when the metrics bundle runs (docs/metrics.md). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MetricsSink metrics;
    /** Callers of {@link #checkInNowAnswered} waiting for the next poll to start (guarded by {@code this}). */
    private List<CompletableFuture<Void>> awaitingNextPoll = new ArrayList<>();

    @Activate
    public DdiPoller(@Reference DeviceIdentity identity, @Reference UpdateAgent agent, DdiAgentConfig config,
            BundleContext context) throws IOException {
        this(identity, agent, config, context.getDataFile("reports").toPath());
    }

    /** With the folder of the report journal given (tests); pending transactions live beside it. */
    DdiPoller(DeviceIdentity identity, UpdateAgent agent, DdiAgentConfig config, Path reports) throws IOException {
        this.journal = new ReportJournal(reports);
        this.pending = new PendingTransactions(reports.resolveSibling("pending"));
        this.closed = new ClosedActions(reports.resolveSibling("closed-actions"), java.time.Clock.systemUTC());
        this.identity = identity;
        this.agent = agent;
        this.backend = URI.create(config.backendUrl());
        this.tenant = config.tenant();
        this.defaultSleep = Duration.ofSeconds(Math.max(1, config.pollSeconds()));
        this.limits = new DownloadLimits(config.stallSeconds() * 1000L, DownloadLimits.DEFAULT.baseMillis(),
                config.minBytesPerSecond());
        if (!"https".equals(backend.getScheme())) {
            throw new IllegalArgumentException("backendUrl must be https: " + backend);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gantry-ddi-poller"));
        scheduler.execute(this::pollOnce);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        takeAwaiting().forEach(f -> f.completeExceptionally(new CancellationException("the agent stopped")));
        // Let a poll in flight end (it may be handing an action over) before a successor starts.
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "the previous poll did not end within 10 s");
        }
        httpTasks.shutdown();
    }

    private void pollOnce() {
        Duration next = defaultSleep;
        List<CompletableFuture<Void>> answered = takeAwaiting();
        try {
            // A fresh client per cycle picks up a renewed certificate without a restart.
            MetricsSink sink = metrics;
            DdiClient client = new DdiClient(identity.sslContext(), backend, tenant, identity.deviceId(), limits, sink, httpTasks);
            JsonNode base;
            try {
                base = client.poll();
            } catch (IOException | RuntimeException e) {
                count(sink, GatewayCounter.POLLS, "failed");
                throw e;
            }
            count(sink, GatewayCounter.POLLS, "ok");
            answered.forEach(f -> f.complete(null));
            next = PollingSleep.parse(base.path("config").path("polling").path("sleep").asText(null), defaultSleep);
            // An action closed in this cycle may still be in the poll answered before: the next poll is fresh.
            boolean closedSome = sendPendingReports(client) | settlePending(client);
            failures = 0;
            String cancel = base.path("_links").path("cancelAction").path("href").asText(null);
            String href = base.path("_links").path("deploymentBase").path("href").asText(null);
            if (cancel != null) {
                confirmCancel(client, URI.create(cancel));
            } else if (href != null && !closedSome && System.nanoTime() - deferredUntil >= 0) {
                URI deployment = URI.create(href);
                Optional<String> offered = ClosedActions.actionIdOf(deployment);
                if (offered.isPresent() && closed.closedRecently(offered.get())) {
                    // Closed by this gateway after the backend answered this poll: not fetched, no feedback (410).
                    LOG.log(System.Logger.Level.INFO, "action {0}: already closed here; the poll answer predates the close",
                            offered.get());
                } else {
                    handleDeployment(client, deployment);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No effect on those already told the poll was answered.
            answered.forEach(f -> f.completeExceptionally(e));
            failures++;
            next = backoff.next(failures, defaultSleep);
            if (scheduler.isShutdown()) {
                // Deactivated mid-poll (the agent or a bundle it needs is being replaced): not a failure.
                LOG.log(System.Logger.Level.INFO, "poll ended by the agent stopping: {0}", e.toString());
            } else {
                LOG.log(System.Logger.Level.WARNING, "poll failed ({0} in a row), next in {1} s: {2}", failures,
                        next.toSeconds(), e.toString());
            }
        } finally {
            scheduleNext(next.toMillis());
        }
    }

    private synchronized void scheduleNext(long delayMillis) {
        if (scheduler.isShutdown()) {
            return;
        }
        long delay = pollAgainAtOnce ? 0 : delayMillis;
        pollAgainAtOnce = false;
        try {
            nextPoll = scheduler.schedule(this::pollOnce, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException deactivated) {
            nextPoll = null;
        }
    }

    @Override
    public synchronized CompletionStage<Void> checkInNowAnswered() {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        if (scheduler.isShutdown()) {
            answered.completeExceptionally(new CancellationException("the agent stopped"));
            return answered;
        }
        // Taken by the next poll that starts: the one this call schedules, or the one after a poll in progress.
        awaitingNextPoll.add(answered);
        checkInNow();
        return answered;
    }

    private synchronized List<CompletableFuture<Void>> takeAwaiting() {
        List<CompletableFuture<Void>> taken = awaitingNextPoll;
        awaitingNextPoll = new ArrayList<>();
        return taken;
    }

    @Override
    public synchronized void checkInNow() {
        if (scheduler.isShutdown()) {
            return;
        }
        if (nextPoll != null && nextPoll.cancel(false)) {
            try {
                nextPoll = scheduler.schedule(this::pollOnce, 0, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException deactivated) {
                nextPoll = null;
            }
        } else {
            pollAgainAtOnce = true;
        }
    }

    /**
     * An operator cancelled an action. Firmware and trust roots are applied start to finish within
     * one poll cycle, so between polls none is half applied: the agent confirms at once. A bundle
     * set already handed to the coordinator runs to its own end (commit or exact revert): that
     * cancel is refused.
     */
    private void confirmCancel(DdiClient client, URI cancelHref) throws IOException {
        String stopId = client.getJson(cancelHref).path("cancelAction").path("stopId").asText(null);
        if (stopId == null) {
            throw new IOException("cancelAction without stopId at " + cancelHref.getPath());
        }
        if (pending.contains(stopId)) {
            client.cancelFeedback(stopId, "rejected", "none", List.of("the bundle set is already switching on the update coordinator"));
            return;
        }
        client.cancelFeedback(stopId, "closed", "success", List.of("cancelled before it was applied"));
        LOG.log(System.Logger.Level.INFO, "action {0} cancelled by the operator", stopId);
    }

    /** Journals the final report, then sends it; a report the backend did not take waits in the journal. */
    private void report(DdiClient client, ReportJournal.Report r) throws IOException {
        journal.store(r);
        send(client, r);
    }

    /** @return whether the backend took any waiting report */
    private boolean sendPendingReports(DdiClient client) throws IOException {
        boolean taken = false;
        for (ReportJournal.Report r : journal.pending()) {
            taken |= send(client, r);
        }
        return taken;
    }

    private boolean send(DdiClient client, ReportJournal.Report r) throws IOException {
        int status;
        try {
            status = client.feedbackStatus(r.actionId(), r.execution(), r.finished(), r.details());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "report of action {0} kept for the next poll: {1}", r.actionId(), e.toString());
            return false;
        }
        if (status == 200 || status == 404 || status == 410) {
            // Taken, or the action is closed or not this device's any more: nothing left to tell.
            try {
                closed.add(r.actionId());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "action {0} closed; not recorded as closed: {1}", r.actionId(), e.toString());
            }
            journal.remove(r.actionId());
            return true;
        } else {
            LOG.log(System.Logger.Level.WARNING, "report of action {0} answered {1}; kept for the next poll", r.actionId(), status);
            return false;
        }
    }

    /**
     * Asks the coordinator about each action it runs; an ended one is reported (journaled first)
     * and leaves the pending list. Runs in whichever revision of the agent is current.
     */
    private boolean settlePending(DdiClient client) throws IOException {
        boolean settled = false;
        for (PendingTransactions.Pending p : pending.all()) {
            ReportJournal.Report r;
            try {
                Optional<UpdateReport> done = agent.settle(p.transactionId(), p.release());
                if (done.isEmpty()) {
                    continue;
                }
                r = new ReportJournal.Report(p.actionId(), "closed", "success", done.get().details());
                count(metrics, GatewayCounter.TRANSACTIONS, "COMMITTED");
            } catch (UpdateFailedException e) {
                count(metrics, GatewayCounter.TRANSACTIONS, e.code().name());
                r = new ReportJournal.Report(p.actionId(), "closed", "failure", List.of(e.code() + ": " + e.getMessage()));
            }
            journal.store(r);
            pending.remove(p.actionId());
            send(client, r);
            settled = true;
        }
        return settled;
    }

    private static void count(MetricsSink sink, GatewayCounter counter, String label) {
        if (sink != null) {
            sink.increment(counter, label);
        }
    }

    /** One device's progress as "proceeding" feedback; a line that cannot be sent does not stop the update. */
    private static void deviceProgress(DdiClient client, String actionId, String line) {
        try {
            client.feedback(actionId, "proceeding", "none", List.of(line));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "progress of action {0} not sent: {1}", actionId, e.toString());
        }
    }

    private static Duration retryAfter(UpdateFailedException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DownloadDeferredException d) {
                return d.retryAfter();
            }
        }
        return Duration.ofMinutes(1);
    }

    private void handleDeployment(DdiClient client, URI deploymentHref) throws IOException {
        JsonNode deployment = client.getJson(deploymentHref);
        String actionId = deployment.path("id").asText();
        if (pending.contains(actionId)) {
            LOG.log(System.Logger.Level.INFO, "action {0}: its bundle set is on the update coordinator", actionId);
            return;
        }
        if (journal.find(actionId).isPresent()) {
            // Applied before; its report has not been taken yet (sent again at the next poll), never applied twice.
            LOG.log(System.Logger.Level.INFO, "action {0}: already applied, its report is waiting to be sent", actionId);
            return;
        }
        if ("skip".equals(deployment.path("deployment").path("update").asText())) {
            // Outside the maintenance window, or download-only: nothing is installed now. The
            // gateway verifies while it downloads, so it fetches when it may also install.
            LOG.log(System.Logger.Level.INFO, "action {0}: update skipped for now (maintenance window {1})", actionId,
                    deployment.path("deployment").path("maintenanceWindow").asText("none"));
            return;
        }
        for (JsonNode chunk : deployment.path("deployment").path("chunks")) {
            DdiReleaseSource source = new DdiReleaseSource(client, chunk, line -> deviceProgress(client, actionId, line));
            LOG.log(System.Logger.Level.INFO, "action {0}: downloading {1}", actionId, source.describe());
            client.feedback(actionId, "proceeding", "none", List.of("downloading " + source.describe()));
            try {
                // Journaled before the coordinator is asked: it may replace this bundle at once.
                PendingTransactions.Pending p;
                try {
                    p = new PendingTransactions.Pending(actionId, source.metadata(), source.signatures());
                } catch (DownloadDeferredException e) {
                    // The backend's download quota refused even the signed metadata (a gateway restarted after
                    // a complete download): wait its Retry-After like any deferral, not one poll interval.
                    deferredUntil = System.nanoTime() + e.retryAfter().toNanos();
                    LOG.log(System.Logger.Level.WARNING, "action {0} deferred: {1}", actionId, e.getMessage());
                    client.feedback(actionId, "proceeding", "none", List.of(UpdateFailureCode.DOWNLOAD_DEFERRED + ": " + e.getMessage()));
                    return;
                }
                if (!pending.storeIfAbsent(p)) {
                    LOG.log(System.Logger.Level.INFO, "action {0}: already in hand", actionId);
                    return;
                }
                Optional<UpdateReport> report;
                try {
                    report = agent.start(new FixedMetadataSource(source, p), p.transactionId());
                } catch (UpdateFailedException | RuntimeException e) {
                    pending.remove(actionId);
                    throw e;
                }
                if (report.isEmpty()) {
                    client.feedback(actionId, "proceeding", "none", List.of("bundle set handed to the update coordinator"));
                    return;
                }
                pending.remove(actionId);
                report(client, new ReportJournal.Report(actionId, "closed", "success", report.get().details()));
            } catch (UpdateFailedException e) {
                if (e.code() == UpdateFailureCode.DOWNLOAD_DEFERRED) {
                    // Not a verdict on the release: the action stays open; the next poll retries after the delay.
                    deferredUntil = System.nanoTime() + retryAfter(e).toNanos();
                    LOG.log(System.Logger.Level.WARNING, "action {0} deferred: {1}", actionId, e.getMessage());
                    client.feedback(actionId, "proceeding", "none", List.of(e.code() + ": " + e.getMessage()));
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "action {0} failed: {1} {2}", actionId, e.code(), e.getMessage());
                List<String> details = new ArrayList<>();
                details.add(e.code() + ": " + e.getMessage());
                details.addAll(DeviceFleetException.linesOf(e));
                report(client, new ReportJournal.Report(actionId, "closed", "failure", details));
                return;
            }
        }
    }
}
