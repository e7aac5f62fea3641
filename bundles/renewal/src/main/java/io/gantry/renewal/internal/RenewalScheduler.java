package io.gantry.renewal.internal;

import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.metrics.MetricsSink;
import io.gantry.api.renewal.RenewalException;
import io.gantry.api.renewal.RenewalPhase;
import io.gantry.api.renewal.RenewalStatus;
import io.gantry.api.renewal.RetryLaterException;
import io.gantry.api.tls.BackendTlsPolicySource;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Watches the device certificate's expiry and renews it through EST before it runs out, on one
 * thread, following {@link RenewalPolicy}. A failed attempt never touches the identity; it only
 * moves the next attempt (backoff) and, from ESCALATED on, is reported to the backend and logged
 * at ERROR. Publishes the current state as {@link RenewalStatus}.
 */
// immediate: the schedule must run whether or not anyone reads the status service.
@Component(configurationPid = "io.gantry.renewal", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = RenewalStatus.class, immediate = true)
@Designate(ocd = RenewalConfig.class)
public final class RenewalScheduler implements RenewalStatus {
    private static final System.Logger LOG = System.getLogger(RenewalScheduler.class.getName());
    /** How long a due attempt waits for the trust-root policy when its source does not bind first. */
    static final Duration POLICY_WAIT = Duration.ofMinutes(1);

    private final RenewableIdentity identity;
    private final URI backend;
    private final RenewalPolicy policy;
    private final Clock clock;
    private final Random random;
    private final RenewalReports reports;
    private volatile RenewalState state;
    private volatile ScheduledExecutorService executor;
    /** The next scheduled cycle; replaced when the policy source arrives while an attempt waits. */
    private ScheduledFuture<?> nextCycle;
    private final Object scheduling = new Object();
    private volatile BackendTlsPolicySource trustPolicy;
    /** Set by the OSGi constructor: attempts need the trust-root TLS policy (tests drive cycles without it). */
    private boolean gateOnTrustPolicy;
    private volatile boolean waitingForPolicy;
    /** Where attempts are counted, when the metrics bundle runs (docs/metrics.md). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MetricsSink metrics;

    @Activate
    public RenewalScheduler(@Reference RenewableIdentity identity, RenewalConfig config) {
        this(identity, config, Clock.systemUTC(), new SecureRandom());
        gateOnTrustPolicy = true;
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gantry-cert-renewal"));
        schedule(0);
    }

    /**
     * The verifier's trust-root TLS policy arrived. Until it is bound the keystore refuses every
     * backend handshake ({@code NO_TRUST_POLICY}), so a due attempt waits for it instead of failing;
     * dynamic, so a verifier restart does not restart (and interrupt) renewal.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindTrustPolicy(BackendTlsPolicySource source) {
        trustPolicy = source;
        LOG.log(System.Logger.Level.INFO, "certificate renewal: backend TLS policy {0}", source.current()
                .map(p -> p.pinnedSpkiSha256().size() + " pinned CA key(s), revocation " + p.revocation())
                .orElse("provisioning default (configured anchor, revocation soft-fail)"));
        if (waitingForPolicy && executor != null) {
            schedule(0);
        }
    }

    void unbindTrustPolicy(BackendTlsPolicySource source) {
        if (trustPolicy == source) {
            trustPolicy = null;
        }
    }

    /** For tests: nothing is scheduled; the test drives {@link #runCycle()} with its clock. */
    RenewalScheduler(RenewableIdentity identity, RenewalConfig config, Clock clock, Random random) {
        this.identity = identity;
        this.backend = URI.create(config.backendUrl());
        if (!"https".equals(backend.getScheme())) {
            throw new IllegalArgumentException("backendUrl must be https: " + backend);
        }
        this.policy = RenewalPolicy.from(config);
        this.clock = clock;
        this.random = random;
        this.reports = new RenewalReports(new ConfigDataReporter(backend, config.tenant()), identity);
        Instant now = clock.instant();
        Instant notAfter = currentNotAfter();
        RenewalPlan first = policy.next(now, notAfter, 0, random);
        this.state = new RenewalState(first.phase(), notAfter, first.at(), 0, null);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    /** One check: does nothing before the planned time, else attempts a renewal if the phase asks for one. */
    synchronized RenewalPlan runCycle() {
        Instant now = clock.instant();
        Instant notAfter = currentNotAfter();
        RenewalState before = state;
        RenewalPhase phase = policy.phase(now, notAfter);
        if (phase == before.phase() && now.isBefore(before.nextAttempt())) {
            return new RenewalPlan(phase, before.nextAttempt());
        }
        if (phase == RenewalPhase.NORMAL) {
            RenewalPlan plan = policy.next(now, notAfter, 0, random);
            state = new RenewalState(phase, notAfter, plan.at(), 0, null);
            return plan;
        }
        if (gateOnTrustPolicy) {
            // Flag first, then look: a source binding meanwhile either is seen here or sees the flag.
            waitingForPolicy = true;
            if (trustPolicy == null) {
                // Not a failure: no attempt was made. The attempt stays due (nextAttempt unchanged), so
                // the cycle the binding source triggers makes it; otherwise the next check is after the wait.
                state = new RenewalState(phase, notAfter, now, before.failures(),
                        "waiting for the release verifier: no trust-root TLS policy yet");
                return new RenewalPlan(phase, now.plus(POLICY_WAIT));
            }
            waitingForPolicy = false;
        }
        RenewalPlan plan;
        try {
            X509Certificate renewed = RenewalAttempt.run(identity, backend, clock);
            Instant renewedNotAfter = renewed.getNotAfter().toInstant();
            plan = policy.next(now, renewedNotAfter, 0, random);
            state = new RenewalState(plan.phase(), renewedNotAfter, plan.at(), 0, null);
            count("renewed");
            LOG.log(System.Logger.Level.INFO, "device certificate renewed: serial {0}, valid until {1}",
                    renewed.getSerialNumber().toString(16), renewedNotAfter);
        } catch (RetryLaterException e) {
            count("retry_later");
            plan = policy.retryLater(now, notAfter, e.retryAfter());
            state = new RenewalState(phase, notAfter, plan.at(), before.failures(), e.getMessage());
        } catch (RenewalException | RuntimeException e) {
            count(e instanceof RenewalException r ? r.code().name() : "FAILED");
            int failures = before.failures() + 1;
            plan = policy.next(now, notAfter, failures, random);
            state = new RenewalState(phase, notAfter, plan.at(), failures, e.getMessage());
        }
        reports.afterAttempt(phase, state);
        return plan;
    }

    private void count(String result) {
        MetricsSink sink = metrics;
        if (sink != null) {
            sink.increment(GatewayCounter.RENEWAL_ATTEMPTS, result);
        }
    }

    private void cycleAndReschedule() {
        synchronized (scheduling) {
            nextCycle = null; // this run is no longer pending
        }
        Instant at = clock.instant().plus(policy.emergencyInterval());
        try {
            at = runCycle().at();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "renewal check failed", e);
        } finally {
            // Sleeps are capped at maxBackoff: a wall clock corrected after boot (gateways without
            // an RTC) is noticed within a day; backoffs never exceed the cap, so none is cut short.
            long delay = Math.max(0, Math.min(Duration.between(clock.instant(), at).toMillis(), policy.maxBackoff().toMillis()));
            schedule(delay);
        }
    }

    /**
     * One pending cycle at most, and the earliest wins: a cycle the binding policy source asked for
     * is not pushed back by the reschedule of a cycle that was running meanwhile. Its own lock:
     * never waits for an attempt.
     */
    private void schedule(long delayMillis) {
        synchronized (scheduling) {
            ScheduledExecutorService ex = executor;
            if (ex.isShutdown()) {
                return;
            }
            if (nextCycle != null) {
                if (nextCycle.getDelay(TimeUnit.MILLISECONDS) <= delayMillis) {
                    return;
                }
                nextCycle.cancel(false);
            }
            try {
                nextCycle = ex.schedule(this::cycleAndReschedule, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Deactivated meanwhile: nothing more to schedule.
                nextCycle = null;
            }
        }
    }

    /** For tests: attempts need a bound trust-root policy source, as in the OSGi component. */
    RenewalScheduler gatedOnTrustPolicy() {
        gateOnTrustPolicy = true;
        return this;
    }

    private Instant currentNotAfter() {
        return identity.certificateChain().get(0).getNotAfter().toInstant();
    }

    @Override
    public RenewalPhase phase() {
        return state.phase();
    }

    @Override
    public Instant notAfter() {
        return state.notAfter();
    }

    @Override
    public Instant nextAttempt() {
        return state.nextAttempt();
    }

    @Override
    public int failures() {
        return state.failures();
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(state.lastError());
    }
}
