package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hawkBit DDI resources beyond the deployment itself, as a stock client uses them: cancelAction
 * (link, resource, feedback; confirmed and refused), installedBase, the configData link until the
 * device reports its attributes, and actionHistory.
 */
class DdiActionLifecycleTest {
    private static final String CLOSED_SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"},"
            + "\"details\":[\"done\"]}}";
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("ops");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static JsonNode links(HttpClient device, String id) throws Exception {
        return json(get(device, backend.controller(id))).get("_links");
    }

    private static long assign(String device, String version) throws Exception {
        return backend.uploadAndAssign(operator, backend.good("fw-" + device, version,
                Map.of("fw.bin", TestReleases.payloadBytes(device + version, 64))), device)[1];
    }

    private static HttpResponse<String> cancel(long actionId) throws Exception {
        return operator.send(HttpRequest.newBuilder(backend.uri("/rest/v1/actions/" + actionId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(long actionId) throws Exception {
        return json(get(operator, backend.uri("/rest/v1/actions/" + actionId))).get("status").asText();
    }

    @Test
    void cancelIsOfferedInsteadOfTheDeploymentAndConfirmedByTheDevice() throws Exception {
        HttpClient device = backend.device("dev-cancel");
        long action = assign("dev-cancel", "1.0.0");
        assertTrue(links(device, "dev-cancel").has("deploymentBase"));

        assertEquals(200, cancel(action).statusCode());
        assertEquals("CANCELING", status(action));
        JsonNode l = links(device, "dev-cancel");
        assertFalse(l.has("deploymentBase"), l.toString());
        URI cancelUri = URI.create(l.at("/cancelAction/href").asText());
        assertEquals(backend.controller("dev-cancel") + "/cancelAction/" + action, cancelUri.toString());
        JsonNode doc = json(get(device, cancelUri));
        assertEquals(Long.toString(action), doc.get("id").asText());
        assertEquals(Long.toString(action), doc.at("/cancelAction/stopId").asText());

        URI feedback = URI.create(cancelUri + "/feedback");
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\"}}}")
                .statusCode());
        assertEquals("CANCELING", status(action));
        assertEquals(200, postJson(device, feedback, CLOSED_SUCCESS).statusCode());
        assertEquals("CANCELED", status(action));
        assertFalse(links(device, "dev-cancel").has("cancelAction"));
        assertEquals(410, postJson(device, feedback, CLOSED_SUCCESS).statusCode());
        assertEquals(409, cancel(action).statusCode(), "a closed action cannot be cancelled");
    }

    @Test
    void aDeviceThatRefusesTheCancellationGoesOnWithTheDeployment() throws Exception {
        HttpClient device = backend.device("dev-refuse");
        long action = assign("dev-refuse", "1.0.0");
        assertEquals(200, cancel(action).statusCode());
        assertEquals(200, postJson(device, URI.create(backend.controller("dev-refuse") + "/cancelAction/" + action + "/feedback"),
                "{\"status\":{\"execution\":\"rejected\",\"result\":{\"finished\":\"none\"},\"details\":[\"already flashing\"]}}")
                .statusCode());
        assertEquals("RUNNING", status(action));
        assertTrue(links(device, "dev-refuse").has("deploymentBase"));
        assertEquals(404, get(device, URI.create(backend.controller("dev-refuse") + "/cancelAction/" + action)).statusCode());
    }

    /** hawkBit's handling fields from the assignment's type and maintenance window, in device-local time. */
    @Test
    void actionTypeAndMaintenanceWindowShapeTheDeployment() throws Exception {
        HttpClient device = backend.device("dev-window");
        long releaseId = backend.uploadAndAssign(operator, backend.good("fw-window", "1.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("window", 64))), "dev-window")[0];
        JsonNode forced = json(get(device, URI.create(links(device, "dev-window").at("/deploymentBase/href").asText())));
        assertEquals("forced", forced.at("/deployment/download").asText());
        assertEquals("forced", forced.at("/deployment/update").asText());
        assertFalse(forced.at("/deployment").has("maintenanceWindow"));
        assertEquals(200, postJson(device, URI.create(backend.controller("dev-window") + "/deploymentBase/"
                + forced.get("id").asText() + "/feedback"), CLOSED_SUCCESS).statusCode());

        // The backend's clock is fixed: a window around it is open, one twelve hours away is not.
        java.time.LocalTime now = backend.clock.instant().atZone(java.time.ZoneId.of("Asia/Tokyo")).toLocalTime();
        String open = now.minusHours(1).withSecond(0).withNano(0) + "-" + now.plusHours(1).withSecond(0).withNano(0) + "@Asia/Tokyo";
        String closed = now.plusHours(11).withSecond(0).withNano(0) + "-" + now.plusHours(13).withSecond(0).withNano(0) + "@Asia/Tokyo";
        JsonNode soft = deploymentFor(device, "dev-window", releaseId, "{\"releaseId\":" + releaseId
                + ",\"type\":\"soft\",\"maintenanceWindow\":\"" + open + "\"}");
        assertEquals("attempt", soft.at("/deployment/download").asText());
        assertEquals("attempt", soft.at("/deployment/update").asText());
        assertEquals("available", soft.at("/deployment/maintenanceWindow").asText());
        JsonNode outside = deploymentFor(device, "dev-window", releaseId, "{\"releaseId\":" + releaseId
                + ",\"maintenanceWindow\":\"" + closed + "\"}");
        assertEquals("forced", outside.at("/deployment/download").asText());
        assertEquals("skip", outside.at("/deployment/update").asText());
        assertEquals("unavailable", outside.at("/deployment/maintenanceWindow").asText());
        assertEquals(400, postJson(operator, backend.uri("/rest/v1/targets/dev-window/actions"),
                "{\"releaseId\":" + releaseId + ",\"maintenanceWindow\":\"25:00-26:00@Mars/Olympus\"}").statusCode());
        assertEquals(400, postJson(operator, backend.uri("/rest/v1/targets/dev-window/actions"),
                "{\"releaseId\":" + releaseId + ",\"type\":\"whenever\"}").statusCode());
    }

    /** Assigns with {@code body}, reads the deployment, closes it so the next one is the oldest open. */
    private static JsonNode deploymentFor(HttpClient device, String id, long releaseId, String body) throws Exception {
        HttpResponse<String> assigned = postJson(operator, backend.uri("/rest/v1/targets/" + id + "/actions"), body);
        assertEquals(201, assigned.statusCode(), assigned.body());
        long action = json(assigned).get("actionId").asLong();
        JsonNode d = json(get(device, URI.create(backend.controller(id) + "/deploymentBase/" + action)));
        assertEquals(200, postJson(device, URI.create(backend.controller(id) + "/deploymentBase/" + action + "/feedback"),
                CLOSED_SUCCESS).statusCode());
        return d;
    }

    @Test
    void installedBaseConfigDataAndActionHistory() throws Exception {
        HttpClient device = backend.device("dev-base");
        JsonNode first = links(device, "dev-base");
        assertTrue(first.has("configData"), "a device that never reported attributes is asked for them");
        assertFalse(first.has("installedBase"));
        assertEquals(200, device.send(HttpRequest.newBuilder(URI.create(first.at("/configData/href").asText()))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"merge\",\"data\":{\"board\":\"1.0\"}}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertFalse(links(device, "dev-base").has("configData"));

        long action = assign("dev-base", "2.0.0");
        URI deployment = URI.create(links(device, "dev-base").at("/deploymentBase/href").asText());
        URI feedback = URI.create(backend.controller("dev-base") + "/deploymentBase/" + action + "/feedback");
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\"},"
                + "\"details\":[\"downloading\"]}}").statusCode());
        JsonNode withHistory = json(get(device, URI.create(deployment + "&actionHistory=5")));
        assertEquals("running", withHistory.at("/actionHistory/status").asText());
        assertTrue(withHistory.at("/actionHistory/messages/0").asText().contains("downloading"), withHistory.toString());
        assertFalse(json(get(device, deployment)).has("actionHistory"));

        assertEquals(200, postJson(device, feedback, CLOSED_SUCCESS).statusCode());
        URI installed = URI.create(links(device, "dev-base").at("/installedBase/href").asText());
        assertEquals(backend.controller("dev-base") + "/installedBase/" + action, installed.toString());
        JsonNode base = json(get(device, installed));
        assertEquals("2.0.0", base.at("/deployment/chunks/0/version").asText());
        assertEquals("FINISHED", status(action), "reading installedBase changes nothing");
        assertEquals(404, get(backend.device("dev-other"), URI.create(backend.controller("dev-other") + "/installedBase/" + action))
                .statusCode(), "another device's installed base is not found");
    }
}
