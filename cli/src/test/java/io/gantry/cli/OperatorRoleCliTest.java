package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.OperatorRoleExtension;
import io.gantry.pki.PkiDirectory;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry pki operator --role} issues each role (all four without {@code --role}), and the
 * {@link ManagementClient} list methods work with what a viewer certificate may do, while its
 * writes are refused with ROLE_REQUIRED.
 */
class OperatorRoleCliTest {
    @TempDir
    Path tmp;

    @Test
    void issuesRolesAndTheClientListsWithAViewerCertificate() throws Exception {
        Path dir = tmp.resolve("pki");
        int revocationPort = freePort();
        cli("pki", "init", "--dir", dir.toString(), "--revocation-url", "http://127.0.0.1:" + revocationPort);
        cli("pki", "operator", "--dir", dir.toString(), "--name", "vera", "--role", "viewer");
        cli("pki", "operator", "--dir", dir.toString(), "--name", "rita", "--role", "release-manager", "--role", "SECURITY_OFFICER");
        cli("pki", "operator", "--dir", dir.toString(), "--name", "alex");
        assertNotEquals(0, GantryCli.commandLine().execute("pki", "operator", "--dir", dir.toString(), "--name", "x",
                "--role", "admin"));
        PkiDirectory pki = PkiDirectory.open(dir, Clock.systemUTC());
        assertEquals(Set.of(OperatorRole.VIEWER), roles(pki, "vera"));
        assertEquals(EnumSet.of(OperatorRole.RELEASE_MANAGER, OperatorRole.SECURITY_OFFICER), roles(pki, "rita"));
        assertEquals(EnumSet.allOf(OperatorRole.class), roles(pki, "alex"));

        Path trust = TrustRootFixture.create(tmp.resolve("keys"), Clock.systemUTC(), List.of("alice", "bob"))
                .writeTrustRoot(tmp.resolve("trust/trust-root.json"), List.of("alice", "bob"), 1);
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, trust).withRevocationPort(revocationPort);
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            ManagementClient viewer = new ManagementClient(backend.baseUri(), pki.loadOperator("vera"), pki.rootCaPem());
            ManagementClient.Page targets = viewer.targets(Map.of("tag", List.of("none")), 0, 10);
            assertEquals(0, targets.total());
            assertEquals(0, viewer.releases(Map.of(), 0, 10).total());
            assertEquals(0, viewer.rollouts(Map.of("state", "RUNNING"), 0, 10).total());
            assertEquals(0, viewer.downloadLog(Map.of("controllerId", "dev-1"), 0, 10).total());
            assertTrue(viewer.openApi().get("paths").has("/rest/v1/targets"));
            ManagementException refused = assertThrows(ManagementException.class, () -> viewer.assign("dev-1", 1));
            assertEquals(403, refused.status());
            assertEquals("ROLE_REQUIRED", refused.code());
            ManagementException audit = assertThrows(ManagementException.class, () -> viewer.securityEvents(Map.of(), 0, 10));
            assertEquals("ROLE_REQUIRED", audit.code());
            ManagementClient officer = new ManagementClient(backend.baseUri(), pki.loadOperator("rita"), pki.rootCaPem());
            assertEquals(2, officer.securityEvents(Map.of("code", "ROLE_REQUIRED"), 0, 10).total());
        }
    }

    private static Set<OperatorRole> roles(PkiDirectory pki, String name) throws Exception {
        return OperatorRoleExtension.read(pki.loadOperator(name).chain().get(0));
    }

    private static void cli(String... args) {
        assertEquals(0, GantryCli.commandLine().execute(args), String.join(" ", args));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
