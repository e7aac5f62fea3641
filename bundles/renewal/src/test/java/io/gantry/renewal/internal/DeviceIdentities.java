package io.gantry.renewal.internal;

import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.tls.BackendTlsPolicySource;
import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The keystore bundle's real {@code FileKeyStore} over a PKCS#12 file, built as SCR builds it from
 * a configuration (its config type is bundle-private, hence the reflection).
 */
final class DeviceIdentities {
    static final String SUBJECT = "CN=gw-renewal,OU=devices,O=Gantry";

    private DeviceIdentities() {
    }

    /** Writes {@code dir/device.p12} with a certificate valid until {@code notAfter}, and opens it. */
    static RenewableIdentity fileKeyStore(Path dir, TestPki ca, Instant notAfter) throws Exception {
        KeyPair key = TestPki.p256();
        X509Certificate device = ca.device(SUBJECT, key.getPublic(), Instant.now().minus(Duration.ofDays(1)), notAfter);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", key.getPrivate(), "pw-for-tests".toCharArray(), new Certificate[] {device, ca.issuer});
        Path p12 = dir.resolve("device.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, "pw-for-tests".toCharArray());
        }
        Class<?> type = Class.forName("io.gantry.keystore.internal.FileKeyStoreConfig");
        Object config = TestConfigs.of(type).with("keystorePath", p12.toString(),
                "passwordFile", Files.writeString(dir.resolve("device.p12.pass"), "pw-for-tests\n").toString(),
                "trustAnchorPath", ca.writeRoot(dir.resolve("root.pem")).toString()).build();
        Class<?> keyStore = Class.forName("io.gantry.keystore.internal.FileKeyStore");
        RenewableIdentity identity = (RenewableIdentity) keyStore.getConstructor(type).newInstance(config);
        // Bind a trust-root policy source as SCR would (the verifier, trust root without a tls object):
        // without one the keystore refuses every backend handshake.
        Field policies = keyStore.getDeclaredField("tlsPolicies");
        policies.setAccessible(true);
        policies.set(identity, (BackendTlsPolicySource) Optional::empty);
        return identity;
    }
}
