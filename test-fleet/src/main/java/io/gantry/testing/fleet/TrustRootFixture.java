package io.gantry.testing.fleet;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.signing.SigningKeyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Release-signing keys and a trust root for the demo and the end-to-end tests: two root key
 * holders (2 of 2 sign trust roots) and named release managers who hold the release roles of the
 * given major versions, two of them required (the two-person rule).
 */
public final class TrustRootFixture {
    /** The root key holders. */
    public static final List<String> ROOT_KEYS = List.of("root-1", "root-2");
    private final Path keys;
    private final Clock clock;

    private TrustRootFixture(Path keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Creates the root keys and each named signing key as files under {@code keys}. */
    public static TrustRootFixture create(Path keys, Clock clock, List<String> signers) throws IOException, GeneralSecurityException {
        for (String name : ROOT_KEYS) {
            SigningKeyFiles.create(keys, name, clock);
        }
        for (String name : signers) {
            SigningKeyFiles.create(keys, name, clock);
        }
        return new TrustRootFixture(keys, clock);
    }

    /** @return the key pair of a named holder */
    public KeyPair key(String name) throws IOException, GeneralSecurityException {
        return SigningKeyFiles.load(keys.resolve(name + ".p12"));
    }

    /**
     * Writes a trust root (version 1, one year) whose release roles for {@code majors} are held by
     * {@code releaseManagers}, 2 of them required, and signs it with both root keys.
     *
     * @return the trust-root.json written (signatures beside it)
     */
    public Path writeTrustRoot(Path json, List<String> releaseManagers, int... majors)
            throws IOException, GeneralSecurityException {
        return writeTrustRoot(json, null, releaseManagers, majors);
    }

    /**
     * The same, carrying a backend TLS policy for the gateway (docs/gateway.md, Backend TLS policy).
     *
     * @param tls pins and revocation policy, or {@code null} for none
     */
    public Path writeTrustRoot(Path json, BackendTlsPolicy tls, List<String> releaseManagers, int... majors)
            throws IOException, GeneralSecurityException {
        TrustRootBuilder b = new TrustRootBuilder(1, clock.instant().plus(Duration.ofDays(365))).tls(tls);
        for (String name : ROOT_KEYS) {
            b.key(name, PemFiles.readPublicKey(keys.resolve(name + ".pub.pem")));
        }
        for (String name : releaseManagers) {
            b.key(name, PemFiles.readPublicKey(keys.resolve(name + ".pub.pem")));
        }
        b.root(2, ROOT_KEYS.toArray(new String[0]));
        for (int major : majors) {
            b.releases(major, 2, releaseManagers.toArray(new String[0]));
        }
        byte[] bytes = TrustRootJson.write(b.build());
        TrustRootFiles.write(json, bytes, List.of(sign(bytes, ROOT_KEYS.get(0)), sign(bytes, ROOT_KEYS.get(1))));
        return json;
    }

    /** @return a hard-fail policy pinning the key of the CA certificate in {@code caPem} (the PKI's root) */
    public static BackendTlsPolicy hardFailPinning(Path caPem) throws IOException, GeneralSecurityException {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded()));
        return new BackendTlsPolicy(Set.of(pin), RevocationPolicy.HARD_FAIL);
    }

    private io.gantry.release.ReleaseSignature sign(byte[] bytes, String name) throws IOException, GeneralSecurityException {
        KeyPair k = key(name);
        return ReleaseSigning.sign(bytes, k.getPrivate(), k.getPublic());
    }
}
