package io.gantry.backend.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.RevocationEndpoints;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Management API (operators only, by the identity filter) for revocation:
 * {@code POST /rest/v1/certificates/revocations} with {@code {"serials": [...], "reason": "keyCompromise"}}
 * or {@code {"issuer": "current-intermediate", "reason": "cACompromise"}} (every certificate the
 * current intermediate issued, in one transaction); {@code GET /rest/v1/certificates/{serial}}.
 */
@jakarta.inject.Singleton
@Path("rest/v1/certificates")
@Produces(MediaType.APPLICATION_JSON)
public final class RevocationResource {
    /** Most serials in one request. */
    public static final int MAX_SERIALS = 10_000;
    private final CertificateRegistry registry;
    private final X509Certificate issuingCa;
    private final IssuanceLogImport logImport;

    /**
     * @param registry the certificate registry
     * @param issuingCa the current intermediate, meant by {@code "issuer": "current-intermediate"}
     * @param logImport read before each revocation, so serials the CLI just issued are known
     */
    public RevocationResource(CertificateRegistry registry, X509Certificate issuingCa, IssuanceLogImport logImport) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issuingCa = Objects.requireNonNull(issuingCa, "issuingCa");
        this.logImport = Objects.requireNonNull(logImport, "logImport");
    }

    /**
     * Injected form: Jersey builds the resource from the backend's revocation service (registering a
     * resource instance makes Jersey log it as an ignored provider).
     */
    @jakarta.inject.Inject
    public RevocationResource(RevocationService revocation) {
        this(revocation.registry(), revocation.issuingCa(), revocation.logImport());
    }

    /** @return {@code {"revoked":[...],"alreadyRevoked":[...],"unknown":[...]}}; 400 BAD_REQUEST on a malformed body */
    @POST
    @Path("revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public Map<String, Object> revoke(JsonNode body, @Context SecurityContext caller) throws SQLException {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        RevocationReason reason = reason(body.path("reason").asText("unspecified"));
        // Certificates the CLI issued since the last look are revocable at once.
        try {
            logImport.refresh();
        } catch (java.io.IOException e) {
            throw new ApiException(RequestError.ISSUANCE_LOG_UNREADABLE, "issued.log cannot be read: " + e.getMessage());
        }
        String actor = caller.getUserPrincipal() == null ? null : "operator " + caller.getUserPrincipal().getName();
        Map<String, Object> answer = new LinkedHashMap<>();
        if (body.has("issuer") == body.has("serials")) {
            throw ApiException.badRequest("give exactly one of \"serials\" and \"issuer\"");
        }
        if (body.has("issuer")) {
            if (!"current-intermediate".equals(body.get("issuer").asText())) {
                throw ApiException.badRequest("issuer must be \"current-intermediate\"");
            }
            answer.put("issuerKeyId", RevocationEndpoints.keyIdOf(issuingCa));
            answer.put("revoked", registry.revokeAllIssuedBy(issuingCa, reason, actor));
            return answer;
        }
        JsonNode serials = body.get("serials");
        if (!serials.isArray() || serials.isEmpty() || serials.size() > MAX_SERIALS) {
            throw ApiException.badRequest("serials must be an array of 1 to " + MAX_SERIALS + " hex strings");
        }
        List<String> revoked = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (JsonNode s : serials) {
            String serial = serial(s.asText());
            switch (registry.revoke(serial, reason, actor)) {
                case REVOKED -> revoked.add(serial);
                case ALREADY_REVOKED -> already.add(serial);
                case UNKNOWN -> unknown.add(serial);
            }
        }
        answer.put("revoked", revoked);
        answer.put("alreadyRevoked", already);
        answer.put("unknown", unknown);
        return answer;
    }

    /** @return the registry's record of {@code serial}; 404 CERTIFICATE_NOT_FOUND if unknown */
    @GET
    @Path("{serial}")
    @RequiresRole(OperatorRole.VIEWER)
    public Map<String, Object> status(@PathParam("serial") String serialText) throws SQLException {
        CertificateState s = registry.status(serial(serialText));
        if (s.status() == CertificateState.Status.UNKNOWN) {
            throw new ApiException(RequestError.CERTIFICATE_NOT_FOUND, "no certificate with serial " + s.serial());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("serial", s.serial());
        answer.put("status", s.status().name());
        answer.put("subject", s.subject());
        answer.put("role", s.role());
        answer.put("issuerKeyId", s.issuerKeyId());
        answer.put("notAfter", s.notAfter().toString());
        answer.put("revokedAt", s.revokedAt() == null ? null : s.revokedAt().toString());
        answer.put("reason", s.reason() == null ? null : s.reason().name());
        return answer;
    }

    private static String serial(String text) {
        try {
            return Serials.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static RevocationReason reason(String text) {
        try {
            return RevocationReason.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
