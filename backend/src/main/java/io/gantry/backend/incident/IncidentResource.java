package io.gantry.backend.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.PayloadInfo;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.revocation.CertificateState;
import io.gantry.pki.OperatorRole;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.TrustRoot;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code /rest/v1/incidents}: the backend's steps of the incident playbooks
 * (docs/incident-playbook.md). Every change is recorded as an {@code INCIDENT_STEP} security event
 * naming the operator. Role: security officer (every path here).
 */
@Path("rest/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public final class IncidentResource {
    private static final int MAX_DETAIL = 1500;
    private final IncidentServices s;
    private final KeyCompromise keys;
    private final IntermediateCompromise intermediates;

    /** @param services bound by the assembly */
    @Inject
    public IncidentResource(IncidentServices services) {
        this.s = services;
        this.keys = new KeyCompromise(services);
        this.intermediates = new IntermediateCompromise(services);
    }

    /** @return the trust root in force: {@code {"version","expires","revokedKeyIds":[...]}} */
    @GET
    @Path("trust-root")
    @RequiresRole(OperatorRole.VIEWER)
    public Map<String, Object> trustRoot() throws SQLException {
        TrustRoot r = s.trust().refreshed();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", r.version());
        out.put("expires", r.expires().toString());
        out.put("revokedKeyIds", new TreeSet<>(r.revokedKeyIds()));
        return out;
    }

    /** @return every stored release with a signature by the key, and whether it was withdrawn; 400 on a malformed key id */
    @GET
    @Path("keys/{keyId}/releases")
    @RequiresRole(OperatorRole.VIEWER)
    public List<KeyCompromise.SignedRelease> releases(@PathParam("keyId") String keyId) throws SQLException {
        return keys.signedReleases(keyId);
    }

    /** @return every device that installed (FINISHED) a release the key signed */
    @GET
    @Path("keys/{keyId}/devices")
    @RequiresRole(OperatorRole.VIEWER)
    public List<KeyCompromise.Installation> devices(@PathParam("keyId") String keyId) throws SQLException {
        return keys.installations(keyId);
    }

    /** Pauses the running rollouts of the key's releases. @return {@code changed} (paused), {@code unchanged}, {@code notStarted} */
    @POST
    @Path("keys/{keyId}/freeze")
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public KeyCompromise.FreezeOutcome freeze(@PathParam("keyId") String keyId, @Context SecurityContext caller) throws SQLException {
        return keys.freeze(keyId, actor(caller));
    }

    /** Resumes what the freeze paused. @return {@code changed} (resumed); 409 NOT_FROZEN when nothing is left to resume */
    @POST
    @Path("keys/{keyId}/unfreeze")
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public KeyCompromise.FreezeOutcome unfreeze(@PathParam("keyId") String keyId, @Context SecurityContext caller) throws SQLException {
        return keys.unfreeze(keyId, actor(caller));
    }

    /**
     * Records a step the CLI did on its own (publish, re-sign, roll forward, report):
     * {@code {"incident":"...","step":"...","detail":"..."}}. @return the recorded line
     */
    @POST
    @Path("journal")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public Map<String, String> journal(JsonNode body, @Context SecurityContext caller) {
        if (body == null || !body.path("incident").isTextual() || !body.path("step").isTextual()) {
            throw ApiException.badRequest("body must be {\"incident\":\"...\",\"step\":\"...\",\"detail\":\"...\"}");
        }
        String detail = body.path("detail").asText("");
        String line = body.get("incident").asText() + " " + body.get("step").asText() + ": "
                + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
        s.securityEvents().record(SecurityEventCode.INCIDENT_STEP, actor(caller), null, line);
        return Map.of("recorded", line);
    }

    /** @return the stored release as a release archive (metadata, signatures, payloads), for re-signing; 404 RELEASE_NOT_FOUND */
    @GET
    @Path("releases/{id}/archive")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresRole(OperatorRole.RELEASE_MANAGER)
    public Response archive(@PathParam("id") long id) throws SQLException {
        ReleaseRow r = s.database().inTransaction(c -> s.releases().find(c, id))
                .orElseThrow(() -> new ApiException(RequestError.RELEASE_NOT_FOUND, "no release " + id));
        StreamingOutput body = out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, ReleaseArchive.METADATA, r.metadata());
                put(zip, ReleaseArchive.SIGNATURES, r.signatures());
                for (PayloadInfo p : r.payloads()) {
                    zip.putNextEntry(new ZipEntry(ReleaseArchive.PAYLOAD_PREFIX + p.name()));
                    Files.copy(s.artifacts().path(p.sha256()), zip);
                    zip.closeEntry();
                }
            }
        };
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM).build();
    }

    /** @return the GOOD certificates the CA issued that a revocation would take (service certificates only when asked) */
    @GET
    @Path("intermediates/{issuerKeyId}/certificates")
    @RequiresRole(OperatorRole.VIEWER)
    public List<Map<String, Object>> certificates(@PathParam("issuerKeyId") String issuerKeyId,
            @QueryParam("includeServiceCerts") boolean includeServiceCerts) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CertificateState c : intermediates.affected(issuerKeyId, includeServiceCerts)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("serial", c.serial());
            m.put("subject", c.subject());
            m.put("role", c.role());
            m.put("notAfter", String.valueOf(c.notAfter()));
            out.add(m);
        }
        return out;
    }

    /** Revokes them (cACompromise) in one transaction: {@code {"includeServiceCerts":false}}. @return {@code {"revoked":[...]}} */
    @POST
    @Path("intermediates/{issuerKeyId}/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public Map<String, Object> revoke(@PathParam("issuerKeyId") String issuerKeyId, JsonNode body,
            @Context SecurityContext caller) throws SQLException {
        boolean include = body != null && body.path("includeServiceCerts").asBoolean(false);
        return Map.of("revoked", intermediates.revoke(issuerKeyId, include, actor(caller)));
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws java.io.IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static String actor(SecurityContext caller) {
        return caller.getUserPrincipal() == null ? "operator" : "operator " + caller.getUserPrincipal().getName();
    }
}
