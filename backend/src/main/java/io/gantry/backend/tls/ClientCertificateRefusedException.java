package io.gantry.backend.tls;

import io.gantry.api.failure.FailureCode;
import java.security.cert.CertificateException;

/**
 * Thrown by the TLS trust manager when a {@link ClientCertificateCheck} refuses a chain PKIX
 * accepted; {@link HandshakeFailureRecorder} records the failed handshake under its code and
 * subject rather than the generic {@code TLS_HANDSHAKE_FAILED}.
 */
public final class ClientCertificateRefusedException extends CertificateException {
    private static final long serialVersionUID = 2L;
    private final FailureCode code;
    private final String subject;

    /**
     * @param refusal the check's verdict
     * @param subject the leaf's subject DN
     */
    public ClientCertificateRefusedException(ClientCertificateCheck.Refusal refusal, String subject) {
        super(refusal.code() + ": " + refusal.message());
        this.code = refusal.code();
        this.subject = subject;
    }

    /** @return the stable code */
    public FailureCode code() {
        return code;
    }

    /** @return the refused leaf's subject DN */
    public String subject() {
        return subject;
    }
}
