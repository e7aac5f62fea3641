package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /rest/v1/certificate-expiry}: device certificates counted by end of validity, and one subject's certificates. */
class CertificateExpiryTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("ops");
        // Registered when each device first connects; validity from issuance, so each lands in one window.
        backend.pki.issueDevice("exp_3d", Duration.ofDays(3));
        backend.pki.issueDevice("exp-20d", Duration.ofDays(20));
        backend.pki.issueDevice("expx3d", Duration.ofDays(200));
        for (String id : new String[] {"exp_3d", "exp-20d", "expx3d", "exp-default"}) {
            assertEquals(200, get(backend.device(id), backend.controller(id)).statusCode(), id);
        }
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void countsDeviceCertificatesByWindowAndListsTheSoonest() throws Exception {
        JsonNode s = json(get(operator, backend.uri("/rest/v1/certificate-expiry")));
        assertEquals("devices", s.get("role").asText());
        StringBuilder labels = new StringBuilder();
        StringBuilder counts = new StringBuilder();
        for (JsonNode w : s.get("windows")) {
            labels.append(w.get("label").asText()).append('|');
            counts.append(w.get("count").asLong()).append(' ');
        }
        assertEquals("expired|0-7 d|7-30 d|30-90 d|90-365 d|> 365 d|", labels.toString());
        assertEquals("0 1 1 0 1 1 ", counts.toString(), s.toString());
        assertEquals("CN=exp_3d,OU=devices,O=Gantry", s.at("/soonest/0/subject").asText());
        assertEquals("CN=exp-20d,OU=devices,O=Gantry", s.at("/soonest/1/subject").asText());
        JsonNode operators = json(get(operator, backend.uri("/rest/v1/certificate-expiry?role=operators")));
        assertEquals("CN=ops,OU=operators,O=Gantry", operators.at("/soonest/0/subject").asText(), operators.toString());
    }

    @Test
    void oneSubjectsCertificatesMatchItsCommonNameExactly() throws Exception {
        JsonNode list = json(get(operator, backend.uri("/rest/v1/certificate-expiry/exp_3d")));
        assertEquals(1, list.size(), "the _ in exp_3d is not a wildcard matching expx3d: " + list);
        assertEquals("GOOD", list.at("/0/status").asText());
        HttpResponse<String> none = get(operator, backend.uri("/rest/v1/certificate-expiry/nobody"));
        assertEquals(404, none.statusCode());
        assertEquals("CERTIFICATE_NOT_FOUND", json(none).get("code").asText());
    }

    @Test
    void refusesARoleThatIsNotAName() throws Exception {
        HttpResponse<String> bad = get(operator, backend.uri("/rest/v1/certificate-expiry?role=dev%27ices"));
        assertEquals(400, bad.statusCode());
        assertEquals("BAD_REQUEST", json(bad).get("code").asText());
    }
}
