package io.gantry.renewal.internal;

import io.gantry.api.keystore.RenewableIdentity;
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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
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

    private final RenewableIdentity identity;
    private final URI backend;
    private final RenewalPolicy policy;
    private final Clock clock;
    private final Random random;
    private final RenewalReports reports;
    private volatile RenewalState state;
    private volatile ScheduledExecutorService executor;

    /**
     * @param trustPolicy the verifier's trust-root TLS policy, a mandatory reference so that renewal
     *     starts only once the keystore can check the backend against the trust root's pins: before
     *     that the keystore refuses every backend handshake ({@code NO_TRUST_POLICY}) and a first
     *     attempt would only fail and back off
     */
    @Activate
    public RenewalScheduler(@Reference RenewableIdentity identity, @Reference BackendTlsPolicySource trustPolicy,
            RenewalConfig config) {
        this(identity, config, Clock.systemUTC(), new SecureRandom());
        LOG.log(System.Logger.Level.INFO, "certificate renewal starts; backend TLS policy: {0}", trustPolicy.current()
                .map(p -> p.pinnedSpkiSha256().size() + " pinned CA key(s), revocation " + p.revocation())
                .orElse("provisioning default (configured anchor, revocation soft-fail)"));
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "gantry-cert-renewal"));
        executor.execute(this::cycleAndReschedule);
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
        RenewalPlan plan;
        try {
            X509Certificate renewed = RenewalAttempt.run(identity, backend, clock);
            Instant renewedNotAfter = renewed.getNotAfter().toInstant();
            plan = policy.next(now, renewedNotAfter, 0, random);
            state = new RenewalState(plan.phase(), renewedNotAfter, plan.at(), 0, null);
            LOG.log(System.Logger.Level.INFO, "device certificate renewed: serial {0}, valid until {1}",
                    renewed.getSerialNumber().toString(16), renewedNotAfter);
        } catch (RetryLaterException e) {
            plan = policy.retryLater(now, notAfter, e.retryAfter());
            state = new RenewalState(phase, notAfter, plan.at(), before.failures(), e.getMessage());
        } catch (RenewalException | RuntimeException e) {
            int failures = before.failures() + 1;
            plan = policy.next(now, notAfter, failures, random);
            state = new RenewalState(phase, notAfter, plan.at(), failures, e.getMessage());
        }
        reports.afterAttempt(phase, state);
        return plan;
    }

    private void cycleAndReschedule() {
        Instant at = clock.instant().plus(policy.emergencyInterval());
        try {
            at = runCycle().at();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "renewal check failed", e);
        } finally {
            // Sleeps are capped at maxBackoff: a wall clock corrected after boot (gateways without
            // an RTC) is noticed within a day; backoffs never exceed the cap, so none is cut short.
            long delay = Math.max(0, Math.min(Duration.between(clock.instant(), at).toMillis(), policy.maxBackoff().toMillis()));
            ScheduledExecutorService ex = executor;
            if (!ex.isShutdown()) {
                ex.schedule(this::cycleAndReschedule, delay, TimeUnit.MILLISECONDS);
            }
        }
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
