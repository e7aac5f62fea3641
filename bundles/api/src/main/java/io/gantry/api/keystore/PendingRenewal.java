package io.gantry.api.keystore;

import java.security.PublicKey;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * A started renewal: the PKCS#10 request to send to the CA and the public half of the new key.
 * The private half stays inside the {@link RenewableIdentity} that made it; the id ties a
 * completion to that key.
 */
public final class PendingRenewal {
    private final String id;
    private final X500Principal subject;
    private final PublicKey publicKey;
    private final byte[] csr;

    /**
     * @param id opaque, unique per renewal
     * @param subject the subject the request names (the current certificate's)
     * @param publicKey the new public key
     * @param csr the DER-encoded PKCS#10 request
     */
    public PendingRenewal(String id, X500Principal subject, PublicKey publicKey, byte[] csr) {
        this.id = Objects.requireNonNull(id);
        this.subject = Objects.requireNonNull(subject);
        this.publicKey = Objects.requireNonNull(publicKey);
        this.csr = csr.clone();
    }

    /** @return the opaque id of this renewal */
    public String id() {
        return id;
    }

    /** @return the subject of the request */
    public X500Principal subject() {
        return subject;
    }

    /** @return the new public key */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** @return a copy of the DER-encoded PKCS#10 request */
    public byte[] csr() {
        return csr.clone();
    }
}
