package io.gantry.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key stores keep their chain in order whatever the provider order of the JVM that wrote them. */
class Pkcs12FilesTest {
    @TempDir
    Path tmp;

    @Test
    void chainStaysLeafFirstWhenBouncyCastleIsTheFirstProvider() throws Exception {
        Provider[] before = Security.getProviders();
        Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        Security.insertProviderAt(new BouncyCastleProvider(), 1);
        try {
            CertificateAuthority root = CertificateAuthority.createRoot("root", Clock.systemUTC());
            CertificateAuthority issued = root.issueIntermediate("inter");
            Pkcs12Files.write(tmp.resolve("intermediate.p12"),
                    new IssuedCredential(issued.privateKey(), List.of(issued.certificate(), root.certificate())));
            // The intermediate as read back from its own store, as the backend's PKI does: under BouncyCastle that
            // certificate object carries the bag attributes of the entry it came from (friendly name "gantry").
            ProtectedKeyStore intermediateStore = Pkcs12Files.load(tmp.resolve("intermediate.p12"));
            CertificateAuthority intermediate = new CertificateAuthority(intermediateStore.privateKey(),
                    intermediateStore.chain().get(0), Clock.systemUTC());
            IssuedCredential device = intermediate.issueDevice("d1");
            Pkcs12Files.write(tmp.resolve("device.p12"), device);

            List<X509Certificate> chain = Pkcs12Files.load(tmp.resolve("device.p12")).chain();
            assertEquals(device.chain().get(0), chain.get(0));
            assertEquals(intermediateStore.chain().get(0), chain.get(1));
            KeyStore bc = KeyStore.getInstance("PKCS12", BouncyCastleProvider.PROVIDER_NAME);
            try (InputStream in = Files.newInputStream(tmp.resolve("device.p12"))) {
                bc.load(in, Files.readString(Pkcs12Files.passwordFile(tmp.resolve("device.p12"))).strip().toCharArray());
            }
            Certificate[] read = bc.getCertificateChain(Pkcs12Files.ALIAS);
            assertEquals(device.chain().get(0), read[0], "BouncyCastle's PKCS#12 reads the device certificate as the leaf");
        } finally {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            for (int i = 0; i < before.length; i++) {
                if (before[i].getName().equals(BouncyCastleProvider.PROVIDER_NAME)) {
                    Security.insertProviderAt(before[i], i + 1);
                }
            }
        }
    }
}
