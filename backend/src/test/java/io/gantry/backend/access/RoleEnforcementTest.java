package io.gantry.backend.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.tls.ClientCertificateFilter;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.OperatorRole;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.EnumSet;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The enforcement itself, in Jersey without a network: an undeclared management endpoint is
 * refused to a certificate with every role, a declared one admits exactly its role, and resources
 * outside {@code /rest} are left alone.
 */
class RoleEnforcementTest {
    static Database database;
    static ApplicationHandler app;
    static CertificateAuthority ca;

    /** A management resource that forgot its role, one that declares it on the class, and a non-management one. */
    @Path("rest/v1/forgotten")
    public static final class Forgotten {
        @GET
        public String get() {
            return "reached";
        }
    }

    @Path("rest/v1/declared")
    @RequiresRole(OperatorRole.RELEASE_MANAGER)
    public static final class Declared {
        @GET
        public String get() {
            return "reached";
        }

        @GET
        @Path("open")
        @RequiresRole(OperatorRole.VIEWER)
        public String open() {
            return "reached";
        }
    }

    @Path("elsewhere")
    public static final class Elsewhere {
        @GET
        public String get() {
            return "reached";
        }
    }

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabases.open(Files.createTempDirectory("roles"));
        SecurityEvents events = new SecurityEvents(database, new SecurityEventRepository(), Clock.systemUTC(), 10_000);
        app = new ApplicationHandler(new ResourceConfig(Forgotten.class, Declared.class, Elsewhere.class)
                .register(new RoleEnforcement(events)));
        ca = CertificateAuthority.createRoot("roles-test-root", Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static ContainerResponse call(String path, OperatorRole... roles) throws Exception {
        ContainerRequest r = new ContainerRequest(URI.create("https://localhost/"), URI.create("https://localhost/" + path),
                "GET", null, new org.glassfish.jersey.internal.MapPropertiesDelegate(), null);
        X509Certificate leaf = ca.issueOperator("op", roles.length == 0 ? EnumSet.allOf(OperatorRole.class)
                : EnumSet.copyOf(java.util.List.of(roles))).certificate();
        r.setProperty(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE, new X509Certificate[] {leaf});
        return app.apply(r).get();
    }

    @Test
    void undeclaredManagementEndpointIsRefusedEvenWithEveryRole() throws Exception {
        ContainerResponse r = call("rest/v1/forgotten");
        assertEquals(403, r.getStatus());
        assertTrue(String.valueOf(r.getEntity()).contains("ROLE_NOT_DECLARED"), String.valueOf(r.getEntity()));
    }

    @Test
    void declaredRoleAdmitsItsHolderOnly() throws Exception {
        assertEquals(200, call("rest/v1/declared", OperatorRole.RELEASE_MANAGER).getStatus());
        ContainerResponse refused = call("rest/v1/declared", OperatorRole.OPERATOR, OperatorRole.SECURITY_OFFICER);
        assertEquals(403, refused.getStatus());
        assertTrue(String.valueOf(refused.getEntity()).contains("RELEASE_MANAGER"), String.valueOf(refused.getEntity()));
    }

    @Test
    void methodAnnotationOverridesTheClassAndViewerIsImplied() throws Exception {
        assertEquals(200, call("rest/v1/declared/open", OperatorRole.SECURITY_OFFICER).getStatus());
    }

    @Test
    void resourcesOutsideRestAreNotRoleChecked() throws Exception {
        assertEquals(Response.Status.OK.getStatusCode(), call("elsewhere", OperatorRole.VIEWER).getStatus());
    }
}
