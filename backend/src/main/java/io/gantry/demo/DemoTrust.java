package io.gantry.demo;

import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.signing.SigningKeyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Release-signing keys and a trust root for the demo and the end-to-end tests: two root key
 * holders (2 of 2 sign trust roots) and named release managers who hold the release roles of the
 * given major versions, two of them required (the two-person rule).
 */
public final class DemoTrust {
    /** The root key holders. */
    public static final List<String> ROOT_KEYS = List.of("root-1", "root-2");
    private final Path keys;
    private final Clock clock;

    private DemoTrust(Path keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Creates the root keys and each named signing key as files under {@code keys}. */
    public static DemoTrust create(Path keys, Clock clock, List<String> signers) throws IOException, GeneralSecurityException {
        for (String name : ROOT_KEYS) {
            SigningKeyFiles.create(keys, name, clock);
        }
        for (String name : signers) {
            SigningKeyFiles.create(keys, name, clock);
        }
        return new DemoTrust(keys, clock);
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
        TrustRootBuilder b = new TrustRootBuilder(1, clock.instant().plus(Duration.ofDays(365)));
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

    private io.gantry.release.ReleaseSignature sign(byte[] bytes, String name) throws IOException, GeneralSecurityException {
        KeyPair k = key(name);
        return ReleaseSigning.sign(bytes, k.getPrivate(), k.getPublic());
    }
}
