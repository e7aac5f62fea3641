package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.PkiDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend refuses to start on configuration that would weaken a check. */
class BackendConfigTest {
    @TempDir
    static Path tmp;
    static PkiDirectory pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = PkiDirectory.create(tmp.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, Clock.systemUTC());
    }

    @Test
    void refusesToStartWithAnEmptyReleaseTrustFolder() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-keys"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendServer.start(BackendConfig.fromPki(tmp.resolve("data-empty"), pki, empty), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("no *.pem key"), e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("data-empty/db")), "nothing was created before the refusal");
    }

    @Test
    void refusesMissingTrustFolderAndMissingKeyStore() throws Exception {
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, tmp.resolve("absent"));
        assertThrows(IllegalArgumentException.class, () -> BackendServer.start(config, Clock.systemUTC()));
        BackendConfig noKeyStore = BackendConfig.of(tmp.resolve("data"), tmp.resolve("none.p12"), tmp.resolve("none.pass"),
                pki.rootCaPem(), tmp);
        assertThrows(IllegalArgumentException.class, noKeyStore::validate);
    }

    @Test
    void refusesOutOfRangeValues() throws Exception {
        BackendConfig base = BackendConfig.fromPki(tmp.resolve("data"), pki, tmp);
        assertThrows(IllegalArgumentException.class, () -> base.withPort(70000).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withTenant("rest").validate());
        assertThrows(IllegalArgumentException.class, () -> base.withTenant("a/b").validate());
        assertThrows(IllegalArgumentException.class, () -> base.withPollingSleep(Duration.ZERO).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxUploadBytes(0).validate());
        assertThrows(IllegalArgumentException.class, () -> base.withMaxSecurityEvents(0).validate());
    }

    @Test
    void failedStartOnABusyPortReleasesTheDatabase() throws Exception {
        Path trust = Files.createDirectories(tmp.resolve("keys-busy"));
        io.gantry.release.PemFiles.writePublicKey(trust.resolve("k.pem"), io.gantry.pki.EcKeys.generateP256().getPublic());
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data-busy"), pki, trust);
        try (BackendServer first = BackendServer.start(config, Clock.systemUTC())) {
            BackendConfig clash = BackendConfig.fromPki(tmp.resolve("data-busy-2"), pki, trust).withPort(first.port());
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
        BackendConfig c = BackendConfig.fromPki(tmp.resolve("data"), pki, tmp);
        assertEquals("127.0.0.1", c.bindHost());
        assertEquals(0, c.port());
        assertEquals("DEFAULT", c.tenant());
        assertEquals(Duration.ofSeconds(5), c.pollingSleep());
        assertEquals(512L * 1024 * 1024, c.maxUploadBytes());
    }
}
