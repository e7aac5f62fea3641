package io.gantry.keystore.internal;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A new P-256 key pair and its PKCS#10 request (RFC 2986), signed with the new key (proof of possession). */
final class RenewalCsr {
    private RenewalCsr() {
    }

    static KeyPair newKeyPair() throws RenewalException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.KEY_GENERATION_FAILED, "cannot generate a P-256 key", e);
        }
    }

    /** @return the DER-encoded request for {@code subject} carrying and signed by {@code key} */
    static byte[] der(X500Principal subject, KeyPair key) throws RenewalException {
        return der(subject, key, null);
    }

    /**
     * @param signer the provider that holds the private key (a token's), or null for the default lookup
     * @return the DER-encoded request for {@code subject} carrying and signed by {@code key}
     */
    static byte[] der(X500Principal subject, KeyPair key, Provider signer) throws RenewalException {
        try {
            JcaContentSignerBuilder signature = new JcaContentSignerBuilder("SHA256withECDSA");
            if (signer != null) {
                signature.setProvider(signer);
            }
            return new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
                    .build(signature.build(key.getPrivate())).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new RenewalException(RenewalErrorCode.KEY_GENERATION_FAILED, "cannot build the renewal CSR", e);
        }
    }
}
