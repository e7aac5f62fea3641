package io.gantry.backend.console;

import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.tls.ClientCertificateFilter;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.OperatorRoleExtension;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code /console}: the console's files with a strict Content-Security-Policy (scripts and styles
 * only from these files, no inline script, no framing, requests only to this origin), and
 * {@code /console/session}: who the browser's certificate says the operator is.
 */
@Singleton
@Path(ConsoleResource.ROOT)
public final class ConsoleResource {
    /** The first path segment of every console URL. */
    public static final String ROOT = "console";
    /**
     * The policy on every console answer: nothing but this origin's own script, style and data;
     * device-supplied text can never run even if it reached the page as markup.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private final ConsoleFiles files = new ConsoleFiles();

    /** @return a redirect to the console's page */
    @GET
    public Response root() {
        return secured(Response.seeOther(URI.create("/" + ROOT + "/index.html"))).build();
    }

    /** @return one of the console's files, or 404 NOT_FOUND */
    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String name) {
        ConsoleFiles.File f = files.find(name)
                .orElseThrow(() -> new ApiException(RequestError.NOT_FOUND, "no console file " + name));
        return secured(Response.ok(f.bytes(), f.mediaType())).build();
    }

    /**
     * Who is logged in: the certificate's common name, its OU role ({@code operator}), the operator
     * roles it carries ({@code viewer}, {@code operator}, {@code release-manager}, {@code security-officer}:
     * what the management API allows it), serial and end of validity.
     */
    public record Session(String commonName, String role, List<String> roles, String serial, String certificateNotAfter) {
    }

    /** @return the operator the connection's client certificate names */
    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    public Response session(@Context HttpServletRequest request) {
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE);
        ClientIdentity identity = ClientIdentity.fromChain(chain);
        X509Certificate leaf = chain[0];
        List<String> roles = OperatorRoleExtension.read(leaf).stream().sorted().map(OperatorRole::cliName).toList();
        Session s = new Session(identity.commonName(), identity.role().name().toLowerCase(java.util.Locale.ROOT), roles,
                leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant().toString());
        return secured(Response.ok(s, MediaType.APPLICATION_JSON_TYPE)).build();
    }

    private static Response.ResponseBuilder secured(Response.ResponseBuilder r) {
        return r.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Cache-Control", "no-store");
    }
}
