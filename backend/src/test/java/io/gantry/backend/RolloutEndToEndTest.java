package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout over mutual TLS with ten real devices polling the DDI API with their own certificates:
 * the dry run names the groups, the canary's success starts the 50% group, two failures cross the
 * error threshold and pause the rollout (recorded as ROLLOUT_PAUSED, which is alerted), and a
 * cancel offers cancelAction to the devices whose actions are still open. The scheduler runs on
 * its own every second and after each feedback; the test also ticks it, so each step is certain.
 */
class RolloutEndToEndTest {
    private static final String SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}";
    private static final String FAILURE = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"},"
            + "\"details\":[\"DEVICE_REJECTED: test\"]}}";
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;
    static final Map<String, HttpClient> DEVICES = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("ops");
        for (int i = 0; i < 11; i++) {
            String id = String.format("roll-%02d", i);
            DEVICES.put(id, backend.device(id));
            assertEquals(200, get(DEVICES.get(id), backend.controller(id)).statusCode());
        }
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    /** @return the deployment action the device is offered now, or -1 */
    private static long deployment(String id) throws Exception {
        JsonNode links = json(get(DEVICES.get(id), backend.controller(id))).path("_links");
        if (!links.has("deploymentBase")) {
            return -1;
        }
        return json(get(DEVICES.get(id), URI.create(links.at("/deploymentBase/href").asText()))).get("id").asLong();
    }

    private static void report(String id, long action, String body) throws Exception {
        assertEquals(200, postJson(DEVICES.get(id), URI.create(backend.controller(id) + "/deploymentBase/" + action + "/feedback"),
                body).statusCode());
    }

    private static JsonNode rollout(long id) throws Exception {
        return json(get(operator, backend.uri("/rest/v1/rollouts/" + id)));
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return operator.send(HttpRequest.newBuilder(backend.uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return devices offered a deployment now, with its action */
    private static Map<String, Long> offered() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : DEVICES.keySet()) {
            long a = deployment(id);
            if (a > 0) {
                out.put(id, a);
            }
        }
        return out;
    }

    @Test
    void canaryThenFiftyPercentPausesOnFailuresAndCancelSendsCancelAction() throws Exception {
        for (String id : DEVICES.keySet()) {
            if (!id.equals("roll-10")) {
                assertEquals(200, postJson(operator, backend.uri("/rest/v1/targets/" + id + "/tags"), "{\"add\":[\"wave-1\"]}")
                        .statusCode());
            }
        }
        HttpResponse<String> up = backend.upload(operator, backend.good("fw-rollout", "2.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("rollout", 64))));
        assertEquals(201, up.statusCode(), up.body());
        long release = json(up).get("id").asLong();
        String body = "{\"name\":\"wave 1\",\"releaseId\":" + release + ",\"filter\":{\"tags\":[\"wave-1\"]},\"canary\":1,"
                + "\"percentages\":[50,100],\"errorThreshold\":{\"count\":2},\"maxStartsPerMinute\":100}";

        JsonNode dry = json(postJson(operator, backend.uri("/rest/v1/rollouts/dry-run"), body));
        assertEquals(10, dry.get("targeted").asInt(), dry.toString());
        assertEquals("[\"roll-00\"]", dry.at("/groups/0/members").toString());
        assertEquals(4, dry.at("/groups/1/members").size());
        assertEquals(0, dry.get("held").size(), "every device's certificate is valid for longer than the hold");

        HttpResponse<String> created = postJson(operator, backend.uri("/rest/v1/rollouts"), body);
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).get("id").asLong();
        backend.server.rollouts().tick();
        assertEquals("RUNNING", rollout(id).get("state").asText());

        Map<String, Long> canary = offered();
        assertEquals(List.of("roll-00"), List.copyOf(canary.keySet()), "only the canary is offered the release");
        report("roll-00", canary.get("roll-00"), SUCCESS);
        backend.server.rollouts().tick();
        JsonNode r = rollout(id);
        assertEquals("FINISHED", r.at("/groups/0/state").asText(), r.toString());
        assertEquals("RUNNING", r.at("/groups/1/state").asText());

        Map<String, Long> fifty = offered();
        assertEquals(List.of("roll-01", "roll-02", "roll-03", "roll-04"), List.copyOf(fifty.keySet()));
        List<String> group = new ArrayList<>(fifty.keySet());
        report(group.get(0), fifty.get(group.get(0)), FAILURE);
        backend.server.rollouts().tick();
        assertEquals("RUNNING", rollout(id).get("state").asText(), "one failure is below the threshold of 2");
        report(group.get(1), fifty.get(group.get(1)), FAILURE);
        backend.server.rollouts().tick();
        r = rollout(id);
        assertEquals("PAUSED", r.get("state").asText(), r.toString());
        assertTrue(r.get("pauseReason").asText().contains("2 of 3 closed actions failed"), r.toString());
        assertTrue(get(operator, backend.uri("/rest/v1/security-events")).body().contains("ROLLOUT_PAUSED"));
        assertEquals(200, post("/rest/v1/rollouts/" + id + "/pause").statusCode(), "pausing a paused rollout changes nothing");

        HttpResponse<String> canceled = post("/rest/v1/rollouts/" + id + "/cancel");
        assertEquals(200, canceled.statusCode(), canceled.body());
        assertEquals("CANCELED", json(canceled).get("state").asText());
        for (String device : group.subList(2, 4)) {
            JsonNode links = json(get(DEVICES.get(device), backend.controller(device))).path("_links");
            assertTrue(links.has("cancelAction"), device + " " + links);
            URI cancel = URI.create(links.at("/cancelAction/href").asText());
            assertEquals(fifty.get(device).longValue(), json(get(DEVICES.get(device), cancel)).at("/cancelAction/stopId").asLong());
            assertEquals(200, postJson(DEVICES.get(device), URI.create(cancel + "/feedback"), SUCCESS).statusCode());
            assertEquals("CANCELED", json(get(operator, backend.uri("/rest/v1/actions/" + fifty.get(device)))).get("status").asText());
        }
        backend.server.rollouts().tick();
        assertTrue(offered().isEmpty(), "the 100% group never started");
        assertEquals(409, post("/rest/v1/rollouts/" + id + "/resume").statusCode());
        JsonNode error = json(post("/rest/v1/rollouts/999/cancel"));
        assertEquals("ROLLOUT_NOT_FOUND", error.get("code").asText());
        JsonNode list = json(get(operator, backend.uri("/rest/v1/rollouts")));
        assertEquals(1, list.size());
        assertEquals(400, postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"x\",\"releaseId\":" + release
                + ",\"percentages\":[100],\"successTreshold\":1}").statusCode());
    }
}
