package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testing.fleet.SwuImages;
import io.gantry.testing.fleet.SwupdateProcess;
import io.gantry.testing.fleet.ToolFiles;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock hawkBit DDI client against the backend: Debian's {@code swupdate} in suricatta mode
 * (installed by scripts/install-test-deps.sh), over mutual TLS with its device certificate. It
 * polls, fetches the deployment, downloads the CMS-signed {@code .swu} a threshold-signed Gantry
 * release carries, installs it, and after the confirming restart ({@code -c 2}) reports success;
 * the backend records the action FINISHED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwupdateSuricattaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    @TempDir
    static Path dir;
    BackendFixture b;
    Path work;

    @BeforeAll
    void start() throws Exception {
        b = new BackendFixture(dir);
        work = Files.createDirectories(dir.resolve("swu"));
    }

    @AfterAll
    void stop() {
        b.close();
    }

    @Test
    void stockSwupdateInstallsASignedSwuAndTheActionFinishes() throws Exception {
        Path installed = work.resolve("installed/hello.txt");
        byte[] content = ("installed by swupdate from a Gantry release " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(installed.getParent());
        byte[] swu = SwuImages.signed(work, "1.0.1", "hello.txt", content, installed);

        HttpClient operator = b.operator("ops");
        long[] ids = b.uploadAndAssign(operator, b.good("board-image", "1.0.1", Map.of("update.swu", swu)), "swu-1");
        Path config = suricattaConfig("swu-1");

        try (SwupdateProcess run = SwupdateProcess.start(work, config, "")) {
            run.awaitFile(installed, WAIT);
        }
        assertEquals(new String(content, StandardCharsets.UTF_8), Files.readString(installed));
        // swupdate reports the result only after the device restarted and confirmed it.
        try (SwupdateProcess confirm = SwupdateProcess.start(work, config, "-c 2")) {
            JsonNode action = awaitClosed(operator, ids[1], confirm);
            assertEquals("FINISHED", action.get("status").asText(), action.toString());
            // swupdate's own reports reached the history (how a long log line is cut: FeedbackMessageTest).
            String history = action.get("history").toString();
            assertTrue(history.contains("Update Installed."), history);
        }
    }

    private JsonNode awaitClosed(HttpClient operator, long actionId, SwupdateProcess run) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode action;
        do {
            Thread.sleep(250);
            action = BackendFixture.json(BackendFixture.get(operator, b.uri("/rest/v1/actions/" + actionId)));
            String status = action.get("status").asText();
            if (status.equals("FINISHED") || status.equals("ERROR")) {
                return action;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("action " + actionId + " still " + action.get("status") + "; swupdate said:\n" + run.output());
    }

    /** The suricatta section names the backend, the device's identity and the root CA, like a device's own file. */
    private Path suricattaConfig(String deviceId) throws Exception {
        b.pki.issueDevice(deviceId);
        Path[] credential = ToolFiles.write(b.pki.loadDevice(deviceId), work, deviceId, false);
        Path cert = credential[0];
        Path key = credential[1];
        return SwupdateProcess.writeConfig(work.resolve("swupdate.cfg"), b.server.baseUri().toString(), b.config.tenant(),
                deviceId, b.pki.rootCaPem(), key, cert);
    }
}
