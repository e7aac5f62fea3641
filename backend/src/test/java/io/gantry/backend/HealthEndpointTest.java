package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.health.HealthListener;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /health as a load balancer probes it, with the real curl: 200 when ready with its database, 503 otherwise. */
class HealthEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void runningBackendAnswers200WithJson() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp, c -> c, null, s -> s.withHealthPort(0).withHttpThreads(9))) {
            assertEquals(9, backend.server.httpThreads(), "the HTTPS listener's threads follow the http-threads setting");
            String[] r = curl(backend.server.healthUri());
            assertEquals("200", r[0], r[1]);
            assertEquals("{\"status\":\"UP\",\"ready\":true,\"database\":\"UP\"}", r[1].strip());
            assertEquals("404", curl(backend.server.healthUri().resolve("/rest/v1/releases"))[0], "nothing else on that port");
        }
    }

    @Test
    void notReadyOrDatabaseGoneAnswers503() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        Database db = Database.open(tmp.resolve("db"));
        try (HealthListener health = HealthListener.start("127.0.0.1", 0, db, ready::get)) {
            String[] starting = curl(health.uri());
            assertEquals("503", starting[0], starting[1]);
            assertTrue(starting[1].contains("\"ready\":false") && starting[1].contains("\"database\":\"UP\""), starting[1]);
            ready.set(true);
            assertEquals("200", curl(health.uri())[0]);
            db.close();
            String[] gone = curl(health.uri());
            assertEquals("503", gone[0], gone[1]);
            assertTrue(gone[1].contains("\"status\":\"DOWN\"") && gone[1].contains("\"database\":\"DOWN\""), gone[1]);
        } finally {
            db.close();
        }
    }

    /** @return {status code, body} as curl saw them */
    static String[] curl(URI uri) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "--max-time", "10", "-w", "\n%{http_code}", uri.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(nl + 1).strip(), out.substring(0, nl)};
    }
}
