package io.gantry.signing;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a key store needs beside a signing key (PKCS#12 and PKCS#11 both
 * store a private key with a certificate). Not a CA, digitalSignature only; trust comes from the
 * pinned public key, never from this certificate.
 */
final class HolderCertificates {
    private HolderCertificates() {
    }

    /** @param signer the provider that can use the private key (the token's), or null for the default */
    static X509Certificate selfSigned(String name, KeyPair pair, Provider signer, Clock clock)
            throws GeneralSecurityException, IOException {
        X500Name subject = new X500Name("CN=" + name + ",OU=release-signers,O=Gantry");
        Date from = Date.from(clock.instant());
        Date to = Date.from(clock.instant().plus(Duration.ofDays(3650)));
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(127, new SecureRandom()), from, to, subject, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        JcaContentSignerBuilder contentSigner = new JcaContentSignerBuilder("SHA256withECDSA");
        if (signer != null) {
            contentSigner.setProvider(signer);
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(contentSigner.build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot self-sign the key holder certificate", e);
        }
    }
}
