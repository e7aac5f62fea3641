package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the plain-HTTP CRL/OCSP listener, which gateways that check revocation hard-fail
 * depend on: no client may hold it. Its handler never waits for a client (request bodies are read
 * without a thread), so threads are not what slow clients can exhaust; these bound what they can.
 *
 * @param idleTimeout how long a connection may stay silent (headers or body not arriving) before it is closed
 * @param maxConnections open connections at most; beyond them the listener stops accepting until some close
 * @param maxRequestBytes largest OCSP request (POST body, or GET path) and request header block; larger gets 413 or 431
 */
public record RevocationListenerLimits(Duration idleTimeout, int maxConnections, int maxRequestBytes) {
    /** 5 s of silence, 1,024 connections, 8 KiB requests (an OCSP request for a few certificates is a few hundred bytes). */
    public static final RevocationListenerLimits DEFAULT = new RevocationListenerLimits(Duration.ofSeconds(5), 1024, 8 * 1024);

    /** @throws IllegalArgumentException if a value is out of range */
    public RevocationListenerLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMinutes() > 10) {
            throw new IllegalArgumentException("revocation listener idle timeout must be over 0 and at most 10 minutes: " + idleTimeout);
        }
        if (maxConnections < 16 || maxConnections > 1_000_000) {
            throw new IllegalArgumentException("revocation listener connections must be 16..1000000: " + maxConnections);
        }
        if (maxRequestBytes < 1024 || maxRequestBytes > 1024 * 1024) {
            throw new IllegalArgumentException("revocation listener request size must be 1024..1048576 bytes: " + maxRequestBytes);
        }
    }
}
