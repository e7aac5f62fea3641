package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.access.RoleEnforcement;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every endpoint the running backend serves under {@code /rest} (Jersey's own resource
 * model, so a resource registered any way is included) and fails for one without a declared
 * operator role: such an endpoint would be refused to everyone, so it is a mistake to find here.
 */
class ManagementRolesDeclaredTest {
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
    void everyManagementEndpointDeclaresARole() {
        List<ManagementEndpoints.Endpoint> all = ManagementEndpoints.of(backend.server.resourceModel());
        assertTrue(all.size() >= 20, "the walk found the management API: " + all);
        List<String> undeclared = all.stream()
                .filter(e -> RoleEnforcement.declared(e.resource(), e.method()).isEmpty())
                .map(ManagementEndpoints.Endpoint::key).toList();
        assertTrue(undeclared.isEmpty(), "management endpoints without @RequiresRole: " + undeclared);
    }
}
