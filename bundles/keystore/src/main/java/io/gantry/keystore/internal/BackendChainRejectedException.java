package io.gantry.keystore.internal;

import io.gantry.api.tls.BackendChainCode;
import java.security.cert.CertificateException;

/**
 * The backend's server chain passed PKIX validation but broke the gateway's TLS policy
 * (docs/gateway.md, TLS policy). JSSE turns it into a failed handshake; nothing trusted changes.
 * The code is logged and shown as the first word of the message.
 */
final class BackendChainRejectedException extends CertificateException {
    private static final long serialVersionUID = 2L;
    private final BackendChainCode code;

    BackendChainRejectedException(BackendChainCode code, String words) {
        super(code + ": " + words);
        this.code = code;
    }

    BackendChainCode code() {
        return code;
    }
}
