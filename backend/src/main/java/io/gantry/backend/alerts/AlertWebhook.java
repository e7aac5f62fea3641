package io.gantry.backend.alerts;

import io.gantry.api.failure.FailureCode;
import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.failure.SecurityEventCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where and what to notify operators of: security events whose code is in {@code codes} are
 * posted as JSON to {@code url} (docs/backend-api.md, "Operator alerts").
 *
 * @param url an {@code https} URL, or {@code http} to a loopback address (a local relay)
 * @param codes the security event codes that are alerts
 * @param interval how often new events are looked for; failed deliveries back off from it
 */
public record AlertWebhook(URI url, Set<FailureCode> codes, Duration interval) {
    /** Codes a fleet operator must hear about without looking (device renewal escalation, revocations, release rejections, rollouts paused by their error threshold, fleet alert changes). */
    public static final Set<FailureCode> DEFAULT_CODES = defaultCodes();
    /** Five seconds between looks at new events. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    public AlertWebhook {
        Objects.requireNonNull(url, "url");
        codes = Set.copyOf(codes);
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("alert interval must be positive: " + interval);
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("an alert webhook needs at least one event code");
        }
        requireSafeScheme(url);
    }

    /** @return a webhook for the default codes and interval */
    public static AlertWebhook to(URI url) {
        return new AlertWebhook(url, DEFAULT_CODES, DEFAULT_INTERVAL);
    }

    private static void requireSafeScheme(URI url) {
        if ("https".equals(url.getScheme()) && url.getHost() != null) {
            return;
        }
        if ("http".equals(url.getScheme()) && url.getHost() != null) {
            try {
                if (InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
                    return;
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("alert webhook host unknown: " + url.getHost(), e);
            }
        }
        throw new IllegalArgumentException("alert webhook must be https (or http to a loopback relay): " + url);
    }

    /**
     * @param storedCode the code of a security event row
     * @return whether events of that code are alerts
     */
    public boolean covers(String storedCode) {
        return codes.stream().anyMatch(c -> c.name().equals(storedCode));
    }

    private static Set<FailureCode> defaultCodes() {
        // Not INTERMEDIATE_RETIRED: it is recorded at every refused handshake of a device still on a
        // retired intermediate, which would page someone at every poll.
        Set<FailureCode> codes = new HashSet<>(Set.of(SecurityEventCode.CERT_RENEWAL_ESCALATED,
                SecurityEventCode.CERT_RENEWAL_EMERGENCY, SecurityEventCode.CERT_RENEWAL_EXPIRED,
                SecurityEventCode.CERTIFICATE_REVOKED, SecurityEventCode.ROLLOUT_PAUSED, SecurityEventCode.FLEET_ALERT));
        codes.addAll(Arrays.asList(RejectionCode.values()));
        return Set.copyOf(codes);
    }
}
