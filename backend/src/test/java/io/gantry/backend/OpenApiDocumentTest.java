package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.access.RoleEnforcement;
import io.gantry.pki.OperatorRole;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI document and the running resources agree: every management path and verb
 * Jersey serves is in the document and vice versa, and each operation's {@code x-gantry-role} is
 * the role its resource method declares.
 */
class OpenApiDocumentTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        HttpResponse<String> r = get(backend.operator("reader", OperatorRole.VIEWER), backend.uri("/rest/v1/openapi.json"));
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        document = json(r);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void isAnOpenApi3Document() {
        assertTrue(document.get("openapi").asText().startsWith("3."), document.get("openapi").toString());
        assertTrue(document.at("/info/title").isTextual());
    }

    @Test
    void documentAndResourcesNameTheSameOperationsWithTheSameRoles() {
        Map<String, String> served = new TreeMap<>();
        for (ManagementEndpoints.Endpoint e : ManagementEndpoints.of(backend.server.resourceModel())) {
            served.put(e.key(), RoleEnforcement.declared(e.resource(), e.method()).map(Enum::name).orElse("none"));
        }
        Map<String, String> documented = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getKey().equals("parameters")) {
                    documented.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey(),
                            op.getValue().path("x-gantry-role").asText("none"));
                }
            }
        }
        assertEquals(served, documented);
    }

    @Test
    void everyReferenceResolves() {
        java.util.List<String> broken = new java.util.ArrayList<>();
        document.findValues("$ref").forEach(ref -> {
            if (document.at(ref.asText().substring(1)).isMissingNode()) {
                broken.add(ref.asText());
            }
        });
        assertTrue(broken.isEmpty(), "unresolved: " + broken);
    }

    /**
     * One paging convention for every list: an operation that pages takes {@code page} and
     * {@code size} and answers a JSON array with the total in {@code X-Total-Count}; none takes
     * {@code offset} or {@code limit} instead.
     */
    @Test
    void everyListPagesWithPageAndSizeAndTheTotalHeader() {
        java.util.Set<String> paged = new java.util.TreeSet<>();
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String key = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + p.getKey();
                java.util.Set<String> names = new java.util.TreeSet<>();
                op.getValue().path("parameters").forEach(param -> names.add(param.has("$ref")
                        ? document.at(param.get("$ref").asText().substring(1)).path("name").asText() : param.path("name").asText()));
                if (!op.getKey().equals("get")) {
                    if (op.getValue().findValue("X-Total-Count") != null) {
                        wrong.add(key + " answers a total but is no list");
                    }
                    continue;
                }
                JsonNode ok = op.getValue().at("/responses/200");
                boolean array = "array".equals(ok.at("/content/application~1json/schema/type").asText());
                boolean total = ok.at("/headers/X-Total-Count").isObject();
                if (names.contains("offset") || names.contains("limit")) {
                    wrong.add(key + " takes offset/limit");
                }
                if (names.contains("page") || names.contains("size") || total) {
                    paged.add(key);
                    if (!(names.contains("page") && names.contains("size") && array && total)) {
                        wrong.add(key + " pages without page+size, an array and X-Total-Count");
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertEquals(java.util.Set.of("GET /rest/v1/alerts", "GET /rest/v1/download-log", "GET /rest/v1/releases",
                "GET /rest/v1/rollouts", "GET /rest/v1/security-events", "GET /rest/v1/targets"), paged);
    }
}
