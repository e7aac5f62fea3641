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
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devices behind a gateway: the per-device lines of its DDI feedback (progress and final
 * report, plain hawkBit detail strings) build the backend's model of them, which the management
 * API shows in the target's detail and at {@code /rest/v1/targets/{id}/devices}.
 */
class GatewayDevicesTest {
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

    private static String feedback(String execution, String finished, String... details) {
        StringBuilder b = new StringBuilder("{\"status\":{\"execution\":\"" + execution + "\",\"result\":{\"finished\":\""
                + finished + "\"},\"details\":[");
        for (int i = 0; i < details.length; i++) {
            b.append(i == 0 ? "" : ",").append(BackendFixture.JSON.valueToTree(details[i]).toString());
        }
        return b.append("]}}").toString();
    }

    @Test
    void perDeviceLinesBuildTheModelOfTheDevicesBehindTheGateway() throws Exception {
        HttpClient gateway = backend.device("gw-dev");
        long action = backend.uploadAndAssign(operator, backend.good("acme-fw", "1.1.0",
                Map.of("sensor.img", TestReleases.payloadBytes("acme", 64))), "gw-dev")[1];
        URI fb = URI.create(backend.controller("gw-dev") + "/deploymentBase/" + action + "/feedback");
        assertEquals(200, postJson(gateway, fb, feedback("proceeding", "none",
                "device=sensor-1 type=acme-sensor result=UPDATING version=1.0.0 release=1.1.0")).statusCode());
        JsonNode devices = json(get(operator, backend.uri("/rest/v1/targets/gw-dev/devices")));
        assertEquals("UPDATING", devices.at("/0/lastResult").asText(), devices.toString());

        assertEquals(200, postJson(gateway, fb, feedback("closed", "failure",
                "SOME_DEVICES_FAILED: 1 of 2 acme-sensor devices run 1.1.0",
                "device=sensor-2 type=acme-sensor result=FAILED version=1.0.0 release=1.1.0 code=BOOT_NOT_CONFIRMED"
                        + " ; rolled back to slot A 1.0.0",
                "device=sensor-1 type=acme-sensor result=UPDATED version=1.1.0 release=1.1.0 ; 1.0.0 -> 1.1.0")).statusCode());
        JsonNode target = json(get(operator, backend.uri("/rest/v1/targets/gw-dev")));
        JsonNode list = target.get("devices");
        assertEquals(2, list.size(), target.toString());
        assertEquals("sensor-1", list.at("/0/deviceId").asText());
        assertEquals("acme-sensor", list.at("/0/type").asText());
        assertEquals("1.1.0", list.at("/0/runningVersion").asText());
        assertEquals("UPDATED", list.at("/0/lastResult").asText());
        assertEquals("sensor-2", list.at("/1/deviceId").asText());
        assertEquals("1.0.0", list.at("/1/runningVersion").asText());
        assertEquals("1.1.0", list.at("/1/lastRelease").asText());
        assertEquals("FAILED", list.at("/1/lastResult").asText());
        assertEquals("BOOT_NOT_CONFIRMED", list.at("/1/lastCode").asText());
        assertTrue(list.at("/1/lastMessage").asText().contains("rolled back"), list.toString());
        assertEquals(action, list.at("/1/lastActionId").asLong());
        JsonNode history = json(get(operator, backend.uri("/rest/v1/actions/" + action))).get("history");
        assertTrue(history.toString().contains("device=sensor-2"), "the lines stay in the action history too");
    }

    @Test
    void aDeviceWithoutDeviceLinesHasNoDevicesAndAnUnknownTargetIs404() throws Exception {
        HttpClient plain = backend.device("plain-dev");
        long action = backend.uploadAndAssign(operator, backend.good("fw-plain", "1.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("plain", 64))), "plain-dev")[1];
        assertEquals(200, postJson(plain, URI.create(backend.controller("plain-dev") + "/deploymentBase/" + action + "/feedback"),
                feedback("closed", "success", "installed")).statusCode());
        assertEquals(0, json(get(operator, backend.uri("/rest/v1/targets/plain-dev"))).get("devices").size());
        assertEquals(404, get(operator, backend.uri("/rest/v1/targets/nobody/devices")).statusCode());
    }
}
