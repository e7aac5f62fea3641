package io.gantry.backend.revocation;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.CRLReason;

/**
 * RFC 5280 5.3.1 reason codes an operator may give, by their RFC names. {@code certificateHold}
 * and {@code removeFromCRL} are left out: revocation here is final.
 */
public enum RevocationReason {
    /** No reason given. */
    unspecified(CRLReason.unspecified),
    /** The subject's private key is (suspected) compromised. */
    keyCompromise(CRLReason.keyCompromise),
    /** The issuing CA's key is (suspected) compromised. */
    cACompromise(CRLReason.cACompromise),
    /** The subject's name or other information changed. */
    affiliationChanged(CRLReason.affiliationChanged),
    /** Replaced by a newer certificate (renewal, re-enrollment). */
    superseded(CRLReason.superseded),
    /** No longer needed (device decommissioned). */
    cessationOfOperation(CRLReason.cessationOfOperation),
    /** The subject lost a privilege the certificate granted. */
    privilegeWithdrawn(CRLReason.privilegeWithdrawn);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** @return the CRLReason code */
    public int code() {
        return code;
    }

    /**
     * @return the reason named {@code name} exactly (e.g. {@code keyCompromise})
     * @throws IllegalArgumentException naming the accepted values
     */
    public static RevocationReason parse(String name) {
        for (RevocationReason r : values()) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + name + "'; one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
