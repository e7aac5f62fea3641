package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.db.TestDatabases;
import io.gantry.pki.PkiDirectory;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend refuses to start on configuration that would weaken a check. */
class BackendConfigTest {
    @TempDir
    static Path tmp;
    static PkiDirectory pki;
    static final ReleaseKeys KEYS = new ReleaseKeys();
    static final Instant EXPIRES = Instant.now().plus(Duration.ofDays(365));
    static Path trustRoot;

    @BeforeAll
    static void pki() throws Exception {
        pki = PkiDirectory.create(tmp.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, Clock.systemUTC());
        trustRoot = KEYS.write(tmp.resolve("trust/trust-root.json"), EXPIRES);
    }

    /** Starting with {@code root} is refused before anything is created; returns the refusal. */
    static IllegalArgumentException refusedStart(String name, Path root) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendServer.start(BackendConfig.fromPki(tmp.resolve(name), pki, root), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("refusing to start"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve(name + "/db")), "nothing was created before the refusal");
        return e;
    }

    @Test
    void refusesToStartWithAnUnsignedTrustRoot() throws Exception {
        Path unsigned = KEYS.write(tmp.resolve("unsigned/trust-root.json"), EXPIRES);
        Files.delete(TrustRootFiles.signaturesOf(unsigned));
        assertTrue(refusedStart("data-unsigned", unsigned).getMessage().contains("THRESHOLD_NOT_MET"));
    }

    @Test
    void refusesToStartWithATrustRootBelowItsRootThreshold() throws Exception {
        Path oneRootKey = KEYS.write(tmp.resolve("one-root-key/trust-root.json"), EXPIRES, KEYS.root1);
        assertTrue(refusedStart("data-one-root-key", oneRootKey).getMessage().contains("THRESHOLD_NOT_MET"));
        Path releaseKeys = KEYS.write(tmp.resolve("release-keys/trust-root.json"), EXPIRES, KEYS.releaseA, KEYS.releaseB);
        assertTrue(refusedStart("data-release-keys", releaseKeys).getMessage().contains("THRESHOLD_NOT_MET"));
    }

    @Test
    void refusesToStartWithARoleBelowTheTwoPersonMinimum() throws Exception {
        TrustRoot single = new TrustRootBuilder(1, EXPIRES).key("root1", KEYS.root1.getPublic())
                .key("root2", KEYS.root2.getPublic()).key("solo", KEYS.releaseA.getPublic())
                .root(2, "root1", "root2").releases(1, 1, "solo").build();
        byte[] bytes = TrustRootJson.write(single);
        Path json = tmp.resolve("single/trust-root.json");
        TrustRootFiles.write(json, bytes, TestReleases.signatures(bytes, KEYS.root1, KEYS.root2));
        assertTrue(refusedStart("data-single", json).getMessage().contains("THRESHOLD_TOO_LOW"));
    }

    @Test
    void refusesToStartWithAMalformedTrustRoot() throws Exception {
        Path json = Files.createDirectories(tmp.resolve("malformed")).resolve("trust-root.json");
        Files.writeString(json, "{\"schema\":\"gantry.trust-root/1\"}");
        assertTrue(refusedStart("data-malformed", json).getMessage().contains("MALFORMED"));
    }

    @Test
    void refusesMissingTrustRootAndMissingKeyStore() throws Exception {
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, tmp.resolve("absent.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendServer.start(config, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("release trust root not found"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BackendConfig.fromPki(tmp.resolve("data"), pki, tmp.resolve("trust")).validate());
        BackendConfig noKeyStore = BackendConfig.of(tmp.resolve("data"), tmp.resolve("none.p12"), tmp.resolve("none.pass"),
                pki.rootCaPem(), trustRoot);
        assertThrows(IllegalArgumentException.class, noKeyStore::validate);
    }

    @Test
    void refusesOutOfRangeValues() throws Exception {
        BackendConfig base = BackendConfig.fromPki(tmp.resolve("data"), pki, trustRoot);
        base.validate();
        assertThrows(IllegalArgumentException.class, () -> base.withPort(70000).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withTenant("rest").validate());
        assertThrows(IllegalArgumentException.class, () -> base.withTenant("a/b").validate());
        assertThrows(IllegalArgumentException.class, () -> base.withPollingSleep(Duration.ZERO).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxUploadBytes(0).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxSecurityEvents(0).validate());
    }

    @Test
    void failedStartOnABusyPortReleasesTheDatabase() throws Exception {
        Path trust = trustRoot;
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data-busy"), pki, trust)
                .withDatabase(TestDatabases.settings(tmp.resolve("data-busy/db")));
        try (BackendServer first = BackendServer.start(config, Clock.systemUTC())) {
            BackendConfig clash = BackendConfig.fromPki(tmp.resolve("data-busy-2"), pki, trust).withPort(first.port())
                    .withDatabase(TestDatabases.settings(tmp.resolve("data-busy-2/db")));
            assertThrows(java.io.IOException.class, () -> BackendServer.start(clash, Clock.systemUTC()));
            // The second start closed its database: a third server can open the same data folder.
            try (BackendServer third = BackendServer.start(clash.withPort(0), Clock.systemUTC())) {
                assertTrue(third.port() > 0 && third.port() != first.port());
                assertEquals("https://127.0.0.1:" + third.port(), third.baseUri().toString());
            }
        }
    }

    @Test
    void defaultsMatchTheDocumentation() {
        BackendConfig c = BackendConfig.fromPki(tmp.resolve("data"), pki, trustRoot);
        assertEquals("127.0.0.1", c.bindHost());
        assertEquals(0, c.port());
        assertEquals("DEFAULT", c.tenant());
        assertEquals(Duration.ofSeconds(5), c.pollingSleep());
        assertEquals(512L * 1024 * 1024, c.maxUploadBytes());
        assertTrue(c.database().embedded(), "embedded H2 unless a PostgreSQL URL is configured");
    }
}
