package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.testing.fleet.ToolFiles;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many device stacks send only their leaf certificate. The backend completes the path from its
 * own issuing CA, so such a device is served; a leaf from an unknown CA and a revoked leaf stay
 * refused. Checked with curl, a client that sends exactly the certificates in its --cert file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeafOnlyClientTest {
    @TempDir
    static Path dir;
    BackendFixture b;

    @BeforeAll
    void start() throws Exception {
        b = new BackendFixture(dir);
    }

    @AfterAll
    void stop() {
        b.close();
    }

    /** Writes the leaf alone (no intermediate) and its key as PEM for curl. */
    private Path[] leafOnly(ProtectedKeyStore identity, String name) throws Exception {
        return ToolFiles.write(identity, dir, name, true);
    }

    /** @return curl's HTTP status, or "000" when the handshake failed */
    private String curlPoll(Path[] credential, String controllerId) throws Exception {
        OpenSsl.Result r = OpenSsl.run(dir, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "--cacert", b.pki.rootCaPem().toString(), "--cert", credential[0].toString(),
                "--key", credential[1].toString(), b.controller(controllerId).toString());
        String out = r.output().strip();
        return out.substring(Math.max(0, out.length() - 3));
    }

    @Test
    void deviceSendingOnlyItsLeafIsServed() throws Exception {
        b.pki.issueDevice("leaf-only");
        assertEquals("200", curlPoll(leafOnly(b.pki.loadDevice("leaf-only"), "leaf-only"), "leaf-only"));
    }

    @Test
    void leafOnlyFromAnotherCaIsRefusedInTheHandshake() throws Exception {
        PkiDirectory other = PkiDirectory.create(dir.resolve("other-pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                b.pki.revocationEndpoints(), Clock.systemUTC());
        other.issueDevice("intruder");
        assertEquals("000", curlPoll(leafOnly(other.loadDevice("intruder"), "intruder"), "intruder"));
    }

    @Test
    void revokedLeafOnlyIsRefused() throws Exception {
        b.pki.issueDevice("leaf-revoked");
        ProtectedKeyStore id = b.pki.loadDevice("leaf-revoked");
        String serial = id.chain().get(0).getSerialNumber().toString(16);
        assertEquals(200, BackendFixture.postJson(b.operator("ops"), b.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}").statusCode());
        assertNotEquals("200", curlPoll(leafOnly(id, "leaf-revoked"), "leaf-revoked"));
    }
}
