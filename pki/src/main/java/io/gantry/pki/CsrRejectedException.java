package io.gantry.pki;

import java.security.GeneralSecurityException;

/** A certificate signing request was refused: bad proof of possession, wrong key type or wrong subject. */
public final class CsrRejectedException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** @param reason what was wrong with the request */
    public CsrRejectedException(String reason) {
        super(reason);
    }
}
