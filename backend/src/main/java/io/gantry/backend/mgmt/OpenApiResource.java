package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /rest/v1/openapi.json}: the OpenAPI 3 description of the management API, a resource
 * file kept equal to the served resources by a test (every path and verb, and each operation's
 * {@code x-gantry-role}, against Jersey's resource model).
 */
@Singleton
@Path("rest/v1/openapi.json")
public final class OpenApiResource {
    /** Class-path name of the document. */
    public static final String DOCUMENT = "openapi.json";
    private final byte[] document;

    /** Reads the document once. */
    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the backend jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the document */
    @RequiresRole(OperatorRole.VIEWER)
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] get() {
        return document.clone();
    }
}
