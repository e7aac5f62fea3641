package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every artifact download request lands in the hash-chained download log with what was actually
 * sent; the chain verifies while untouched, and an edited, removed or truncated entry is named.
 */
class DownloadLogTest {
    @TempDir
    Path dir;

    @Test
    void downloadsAreLoggedAndTamperingIsNamed() throws Exception {
        Path data;
        try (BackendFixture b = new BackendFixture(dir)) {
            data = b.config.dataDir();
            HttpClient operator = b.operator("ops");
            byte[] fw = TestReleases.payloadBytes("logged", 10_000);
            long releaseId = b.uploadAndAssign(operator, b.good("fw-log", "1.0.0", Map.of("fw.bin", fw)), "dev-log")[0];
            HttpClient device = b.device("dev-log");
            URI artifact = URI.create(b.controller("dev-log") + "/softwaremodules/" + releaseId + "/artifacts/fw.bin");
            // A partial download first: once the whole artifact has been sent, a repeat inside the hour is refused.
            assertEquals(206, device.send(HttpRequest.newBuilder(artifact).header("Range", "bytes=0-99").build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode());
            assertEquals(200, device.send(HttpRequest.newBuilder(artifact).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .statusCode());
            assertEquals(404, get(device, URI.create(artifact + "-missing")).statusCode());

            JsonNode v = json(get(operator, b.uri("/rest/v1/download-log/verification")));
            assertEquals(3, v.get("entries").asLong(), v.toString());
            assertTrue(v.get("intact").asBoolean(), v.toString());
        }
        try (Database db = TestDatabases.open(data.resolve("db"))) {
            DownloadLogRepository log = new DownloadLogRepository();
            java.util.List<String> results = db.inTransaction(c -> column(c, "SELECT result FROM download_log ORDER BY id"));
            assertEquals(java.util.List.of("206 complete", "200 complete", "404 ARTIFACT_NOT_FOUND"), results);
            java.util.List<String> bytes = db.inTransaction(c -> column(c, "SELECT bytes_sent FROM download_log ORDER BY id"));
            assertEquals(java.util.List.of("100", "10000", "0"), bytes);

            db.inTransaction(c -> update(c, "UPDATE download_log SET bytes_sent = 1 WHERE id = 2"));
            DownloadLogRepository.Verification edited = db.inTransaction(log::verify);
            assertFalse(edited.intact());
            assertEquals(2, edited.firstBroken().getAsLong(), edited.reason());

            db.inTransaction(c -> update(c, "UPDATE download_log SET bytes_sent = 10000 WHERE id = 2"));
            assertTrue(db.inTransaction(log::verify).intact(), "restored content verifies again");
            db.inTransaction(c -> update(c, "DELETE FROM download_log WHERE id = 2"));
            assertEquals(2, db.inTransaction(log::verify).firstBroken().getAsLong(), "a removed entry is named");
        }
    }

    private static java.util.List<String> column(java.sql.Connection c, String sql) throws java.sql.SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Integer update(java.sql.Connection c, String sql) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
        }
    }
}
