package io.gantry.keystore.internal;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The token side of a renewal, in steps that tests can stop between as a crash would:
 * {@link #generatePending} makes the new key on the token (through the provider's non-extractable
 * template) and parks it under the pending alias; {@link #store} puts it, with the checked chain,
 * under the next generation's alias, which makes it the active identity
 * ({@link TokenGenerations}); the caller then switches memory and retires the old alias.
 */
final class TokenRenewal {
    private static final X500Principal PLACEHOLDER = new X500Principal("CN=gantry renewal pending");

    private TokenRenewal() {
    }

    /**
     * @return the new key pair: the private half on the token (sensitive, non-extractable), the
     *     public half as a software key for the CSR and the checks
     */
    static KeyPair generatePending(KeyStore token, Provider provider, TokenGenerations generations, Instant now)
            throws RenewalException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair onToken = g.generateKeyPair();
            // A key without a certificate is no key store entry, and could never be deleted again.
            token.setKeyEntry(generations.pendingAlias(), onToken.getPrivate(), null,
                    new Certificate[] {placeholder(onToken, provider, now)});
            PublicKey software = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(onToken.getPublic().getEncoded()));
            return new KeyPair(software, onToken.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new RenewalException(RenewalErrorCode.KEY_GENERATION_FAILED,
                    "cannot generate a P-256 key on the token: " + e.getMessage(), e);
        }
    }

    /** Stores the pending key with its checked chain under {@code alias}: the switch on the token. */
    static void store(KeyStore token, String alias, PrivateKey key, List<X509Certificate> chain)
            throws RenewalException {
        try {
            token.setKeyEntry(alias, key, null, chain.toArray(new X509Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.STORE_FAILED,
                    "cannot store the renewed identity on the token: " + e.getMessage(), e);
        }
    }

    private static X509Certificate placeholder(KeyPair key, Provider provider, Instant now)
            throws GeneralSecurityException, OperatorCreationException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(PLACEHOLDER,
                new BigInteger(64, new SecureRandom()), Date.from(now), Date.from(now.plus(Duration.ofDays(1))),
                PLACEHOLDER, key.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider).build(key.getPrivate())));
    }
}
