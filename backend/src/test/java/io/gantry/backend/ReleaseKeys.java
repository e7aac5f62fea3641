package io.gantry.backend;

import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

/**
 * The keys of a real two-person trust root for backend tests: root 2 of {root1, root2}; major
 * versions {@value #FIRST_MAJOR} to {@value #LAST_MAJOR} (every major the tests upload) 2 of
 * {releaseA, releaseB}; major {@value #OTHER_MAJOR} 2 of {otherA, otherB}, keys that may sign
 * nothing else.
 */
final class ReleaseKeys {
    static final int FIRST_MAJOR = 1;
    static final int LAST_MAJOR = 9;
    static final int OTHER_MAJOR = 10;
    final KeyPair root1 = TestReleases.newKey();
    final KeyPair root2 = TestReleases.newKey();
    final KeyPair releaseA = TestReleases.newKey();
    final KeyPair releaseB = TestReleases.newKey();
    final KeyPair otherA = TestReleases.newKey();
    final KeyPair otherB = TestReleases.newKey();

    /** @return the trust root, version 1, unsigned */
    TrustRoot trustRoot(Instant expires) {
        TrustRootBuilder b = new TrustRootBuilder(1, expires).key("root1", root1.getPublic())
                .key("root2", root2.getPublic()).key("releaseA", releaseA.getPublic())
                .key("releaseB", releaseB.getPublic()).key("otherA", otherA.getPublic())
                .key("otherB", otherB.getPublic()).root(2, "root1", "root2");
        for (int major = FIRST_MAJOR; major <= LAST_MAJOR; major++) {
            b.releases(major, 2, "releaseA", "releaseB");
        }
        return b.releases(OTHER_MAJOR, 2, "otherA", "otherB").build();
    }

    /** Writes the trust root to {@code json}, signed by {@code rootSigners} (normally root1 and root2). */
    Path write(Path json, Instant expires, KeyPair... rootSigners) throws Exception {
        byte[] bytes = TrustRootJson.write(trustRoot(expires));
        TrustRootFiles.write(json, bytes, TestReleases.signatures(bytes, rootSigners));
        return json;
    }

    /** Writes the trust root signed by both root keys. */
    Path write(Path json, Instant expires) throws Exception {
        return write(json, expires, root1, root2);
    }
}
