package io.gantry.keystore.internal;

import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A device PKCS#12 file, its password file and the root PEM, as FileInstall would configure them. */
final class FileIdentityFixture {
    static final String SUBJECT = "CN=gw-renew,OU=devices,O=Gantry";
    final TestPki pki;
    final Path p12;
    final Path passwordFile;
    final Path root;
    final X509Certificate device;

    FileIdentityFixture(Path dir, Instant now) throws Exception {
        pki = new TestPki();
        p12 = dir.resolve("device.p12");
        passwordFile = Files.writeString(dir.resolve("device.p12.pass"), "s3cret-for-tests\n");
        root = pki.writeRoot(dir.resolve("root.pem"));
        KeyPair key = TestPki.p256();
        device = pki.device(SUBJECT, key.getPublic(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", key.getPrivate(), "s3cret-for-tests".toCharArray(), new Certificate[] {device, pki.issuer});
        try (OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, "s3cret-for-tests".toCharArray());
        }
    }

    /** @return the issued chain for {@code key}: a 5-year device certificate and the issuing CA */
    List<X509Certificate> issue(String subject, PublicKey key, Instant now) throws Exception {
        return List.of(pki.device(subject, key, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(5 * 365))), pki.issuer);
    }

    FileKeyStoreConfig config() {
        return TestConfigs.of(FileKeyStoreConfig.class).with("keystorePath", p12.toString(),
                "passwordFile", passwordFile.toString(), "trustAnchorPath", root.toString()).build();
    }
}
