package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
        return backend.uploadAndAssign(operator, backend.releases.good("fw-" + device, version,
                Map.of("fw.bin", SignedReleases.payloadBytes(device + version, 64))), device)[1];
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
