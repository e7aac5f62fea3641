package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.PkiDirectory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate is the identity: OU picks the API, CN must be the controller id, other CAs never get in. */
class IdentityRuleTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void deviceCannotPollAsAnotherController() throws Exception {
        HttpResponse<String> r = get(backend.device("dev-a"), backend.controller("dev-b"));
        assertEquals(403, r.statusCode());
        assertEquals("FORBIDDEN", json(r).get("code").asText());
        assertEquals(404, get(backend.operator("ops"), backend.uri("/rest/v1/targets/dev-b")).statusCode(),
                "the refused poll registered nothing");
    }

    @Test
    void deviceCannotPostFeedbackForAnotherController() throws Exception {
        HttpResponse<String> r = postJson(backend.device("dev-a"), backend.uri("/DEFAULT/controller/v1/dev-b/deploymentBase/1/feedback"),
                "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}");
        assertEquals(403, r.statusCode());
    }

    @Test
    void deviceCannotUseTheManagementApi() throws Exception {
        HttpClient device = backend.device("dev-c");
        HttpResponse<String> list = get(device, backend.uri("/rest/v1/releases"));
        assertEquals(403, list.statusCode());
        assertEquals("FORBIDDEN", json(list).get("code").asText());
        assertEquals(403, postJson(device, backend.uri("/rest/v1/targets/dev-c/actions"), "{\"releaseId\":1}").statusCode());
    }

    @Test
    void operatorCannotActAsADevice() throws Exception {
        assertEquals(403, get(backend.operator("ops"), backend.uri("/DEFAULT/controller/v1/ops")).statusCode());
    }

    @Test
    void wrongTenantAndUnknownPathsAnswerJson404() throws Exception {
        HttpClient device = backend.device("dev-d");
        HttpResponse<String> r = get(device, backend.uri("/OTHER/controller/v1/dev-d"));
        assertEquals(404, r.statusCode());
        assertEquals("NOT_FOUND", json(r).get("code").asText());
        HttpResponse<String> unknown = get(backend.operator("ops"), backend.uri("/rest/v1/nothing-here"));
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"code\":"), unknown.body());
    }

    @Test
    void clientCertificateFromAnotherRootIsRefusedInTheHandshake() throws Exception {
        PkiDirectory rogue = PkiDirectory.create(tmp.resolve("rogue-pki"), PkiDirectory.DEFAULT_SERVER_SANS, Clock.systemUTC());
        rogue.issueDevice("dev-a");
        // Trusts our server (so only the server's check of the client can fail), presents the rogue cert.
        HttpClient client = TlsClients.withCertificate(rogue.loadDevice("dev-a"), backend.pki.rootCaPem());
        // TLS 1.3 may report the refusal as a plain IOException after the handshake (BUILD-NOTES.md).
        assertThrows(IOException.class, () -> get(client, backend.controller("dev-a")));
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        HttpClient client = TlsClients.withoutCertificate(backend.pki.rootCaPem());
        assertThrows(IOException.class, () -> get(client, backend.controller("dev-a")));
        assertThrows(IOException.class, () -> get(client, backend.uri("/rest/v1/releases")));
    }

    @Test
    void serverCertificateCannotBeUsedAsAClient() throws Exception {
        // Its EKU is serverAuth only: JSSE's client-certificate check refuses it in the handshake.
        HttpClient client = TlsClients.withCertificate(backend.pki.loadServer(), backend.pki.rootCaPem());
        assertThrows(IOException.class, () -> get(client, backend.uri("/rest/v1/releases")));
    }
}
