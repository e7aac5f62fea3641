package io.gantry.backend.tls;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.metrics.BackendMetrics;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;

/**
 * Records every failed TLS handshake on the HTTPS connector as {@code TLS_HANDSHAKE_FAILED}, with
 * the client's IP address and the failure message (e.g. "PKIX path building failed: ...",
 * "Empty client certificate chain"). The subject is left empty: a certificate that failed
 * verification names nobody. A chain PKIX accepted but a {@link ClientCertificateCheck} refused
 * (revoked, unknown) is recorded under the check's code with the certificate's subject.
 */
public final class HandshakeFailureRecorder implements SslHandshakeListener {
    private final SecurityEvents events;
    private final BackendMetrics metrics;

    /**
     * @param events where failures are recorded
     * @param metrics where failures are counted by code ({@code gantry_tls_handshake_failures_total})
     */
    public HandshakeFailureRecorder(SecurityEvents events, BackendMetrics metrics) {
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientCertificateRefusedException refused) {
                metrics.handshakeFailed(refused.code());
                events.record(refused.code(), refused.subject(), remoteAddress(event.getEndPoint()), "TLS handshake refused: "
                        + refused.getMessage());
                return;
            }
        }
        metrics.handshakeFailed(SecurityEventCode.TLS_HANDSHAKE_FAILED);
        events.record(SecurityEventCode.TLS_HANDSHAKE_FAILED, null, remoteAddress(event.getEndPoint()), message(failure));
    }

    private static String message(Throwable failure) {
        if (failure == null) {
            return "handshake failed";
        }
        return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    }

    static String remoteAddress(EndPoint endPoint) {
        SocketAddress remote = endPoint == null ? null : endPoint.getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        }
        return remote == null ? null : remote.toString();
    }
}
