package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.mgmt.ActiveTrustRoot;
import io.gantry.backend.mgmt.ManagementServices;
import io.gantry.backend.mgmt.ReleaseIngest;
import io.gantry.backend.tls.RequestOrigin;
import io.gantry.testing.TestReleases;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A security event that cannot be stored must not change the answer: a refused upload stays a 422 (or 413). */
class RecorderFailureTest {
    static final byte[] FW = TestReleases.payloadBytes("recorder-failure", 1024);

    @Test
    void refusedUploadStaysA422WhenTheRecorderFails(@TempDir Path dir) throws Exception {
        TestReleases releases = new TestReleases(dir.resolve("build"));
        ReleaseKeys keys = new ReleaseKeys();
        Database broken = TestDatabases.open(dir.resolve("events-db"));
        broken.close();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            BackendConfig config = BackendConfig.of(dir, dir.resolve("none.p12"), dir.resolve("none.pass"),
                    dir.resolve("root.pem"), dir).withMaxUploadBytes(64 * 1024);
            ManagementServices services = new ManagementServices(Clock.systemUTC(), db,
                    ArtifactStore.open(dir.resolve("artifacts")),
                    new ActiveTrustRoot(keys.trustRoot(Instant.now().plus(Duration.ofDays(1))), 2),
                    Files.createDirectories(dir.resolve("tmp")), config.maxUploadBytes(), new TargetRepository(),
                    new ReleaseRepository(), new ActionRepository(),
                    new SecurityEvents(broken, new SecurityEventRepository(), Clock.systemUTC(), 10));
            ReleaseIngest ingest = new ReleaseIngest(services);
            RequestOrigin origin = new RequestOrigin("CN=ops,OU=operators", "127.0.0.1");
            byte[] evil = FW.clone();
            evil[0] ^= 1;
            Path tampered = releases.archive(TestReleases.metadata("t", "1.0.0", Map.of("fw.bin", FW)),
                    Map.of("fw.bin", evil), keys.releaseA, keys.releaseB);
            try (InputStream in = Files.newInputStream(tampered)) {
                ApiException e = assertThrows(ApiException.class, () -> ingest.ingest(null, in, origin));
                assertEquals(422, e.status());
                assertEquals("HASH_MISMATCH", e.code().name());
            }
            ApiException tooLarge = assertThrows(ApiException.class,
                    () -> ingest.ingest(1L << 20, InputStream.nullInputStream(), origin));
            assertEquals(413, tooLarge.status());
            assertEquals("PAYLOAD_TOO_LARGE", tooLarge.code().name());
        }
    }
}
