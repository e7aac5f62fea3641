package io.gantry.backend.tls;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
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

    /** @param events where failures are recorded */
    public HandshakeFailureRecorder(SecurityEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientCertificateRefusedException refused) {
                events.record(refused.code(), refused.subject(), remoteAddress(event.getEndPoint()), "TLS handshake refused: "
                        + refused.getMessage());
                return;
            }
        }
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
