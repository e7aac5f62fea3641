package io.gantry.release;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Named software keys and a two-person trust root for tests of the trust rules. */
final class TrustFixture {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    final Map<String, KeyPair> keys = new HashMap<>();

    TrustFixture() throws Exception {
        for (String n : List.of("root1", "root2", "root3", "alice", "bob", "carol", "dave", "erin", "acme1", "acme2")) {
            keys.put(n, ec());
        }
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** root1+root2 (2 of 2) sign roots; alice, bob, carol sign 1.x (2 of 3); dave, erin sign 2.x; acme is a vendor. */
    TrustRootBuilder builder(long version) {
        TrustRootBuilder b = new TrustRootBuilder(version, NOW.plusSeconds(86400 * 365));
        keys.forEach((name, k) -> b.key(name, k.getPublic()));
        return b.root(2, "root1", "root2").releases(1, 2, "alice", "bob", "carol").releases(2, 2, "dave", "erin")
                .vendor("acme", 2, Set.of("acme-sensor"), Set.of("com.acme.gantry.sensor"), "acme1", "acme2");
    }

    TrustRoot root() {
        return builder(1).build();
    }

    static ReleaseMetadata metadata(String name, String version, ReleaseKind kind, String target) {
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, version, kind, target, NOW.minusSeconds(3600),
                NOW.plusSeconds(86400 * 30), 1, "release manager", List.of(new PayloadInfo("p.bin", "0".repeat(64), 1)));
    }

    List<ReleaseSignature> sign(byte[] data, String... signers) throws Exception {
        List<ReleaseSignature> sigs = new ArrayList<>();
        for (String s : signers) {
            KeyPair k = keys.get(s);
            sigs.add(ReleaseSigning.sign(data, k.getPrivate(), k.getPublic()));
        }
        return sigs;
    }
}
