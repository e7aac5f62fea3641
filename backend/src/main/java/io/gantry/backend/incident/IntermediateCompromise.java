package io.gantry.backend.incident;

import io.gantry.backend.failure.RequestError;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.revocation.CertificateRegistry;
import io.gantry.backend.revocation.CertificateState;
import io.gantry.backend.revocation.RevocationReason;
import io.gantry.pki.CertificateProfile;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The backend's half of the intermediate-compromise playbook: the GOOD certificates a CA issued,
 * and their mass revocation (reason cACompromise) that spares the backend's own service
 * certificates (server, operators, OCSP responder, the MQTT push identity) unless asked. Devices whose certificate is
 * revoked re-enroll with a new factory credential (docs/incident-playbook.md): a revoked
 * certificate can no longer authenticate an EST {@code simplereenroll}.
 */
public final class IntermediateCompromise {
    /** Roles kept unless the operator includes service certificates: the backend keeps serving and being operated. */
    public static final Set<String> SERVICE_ROLES = Set.of(CertificateProfile.ROLE_SERVER, CertificateProfile.OPERATORS_OU,
            CertificateProfile.ROLE_OCSP_RESPONDER, CertificateProfile.ROLE_INTERMEDIATE, CertificateProfile.BACKEND_OU);
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{2,128}");
    private final IncidentServices s;

    /** @param services the certificate registry and events */
    public IntermediateCompromise(IncidentServices services) {
        this.s = services;
    }

    /** @return the GOOD certificates the CA with key id {@code issuerKeyId} issued that a revocation would take */
    public List<CertificateState> affected(String issuerKeyId, boolean includeServiceCerts) throws SQLException {
        return registry().goodIssuedBy(requireKeyId(issuerKeyId)).stream()
                .filter(c -> includeServiceCerts || !SERVICE_ROLES.contains(c.role())).toList();
    }

    /** Revokes them in one transaction. @return the serials revoked */
    public List<String> revoke(String issuerKeyId, boolean includeServiceCerts, String actor) throws SQLException {
        List<String> revoked = registry().revokeAllIssuedBy(requireKeyId(issuerKeyId),
                c -> includeServiceCerts || !SERVICE_ROLES.contains(c.role()), RevocationReason.cACompromise, actor);
        s.securityEvents().record(SecurityEventCode.INCIDENT_STEP, actor, null, "ca-compromise " + issuerKeyId + " revoke: "
                + revoked.size() + " certificates" + (includeServiceCerts ? " including service certificates" : ", service certificates spared"));
        return revoked;
    }

    /** The registry, after reading certificates the CLI issued since the last look (so they are counted too). */
    private CertificateRegistry registry() throws SQLException {
        if (s.revocation() == null) {
            throw new ApiException(RequestError.NOT_FOUND, "this backend has no certificate registry");
        }
        try {
            s.revocation().logImport().refresh();
        } catch (IOException e) {
            throw new ApiException(RequestError.ISSUANCE_LOG_UNREADABLE, "issued.log cannot be read: " + e.getMessage());
        }
        return s.revocation().registry();
    }

    private static String requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw ApiException.badRequest("issuer key id must be the CA's subject key identifier in lower-case hex");
        }
        return keyId;
    }
}
