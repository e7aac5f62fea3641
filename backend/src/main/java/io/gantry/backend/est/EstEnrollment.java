package io.gantry.backend.est;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.config.ReenrollmentPolicy;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.Dialect;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.EstRefusal;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.RequestOrigin;
import io.gantry.backend.tls.Role;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The two EST enrollments (RFC 7030 4.2). Both take only the key from the CSR and issue a 5-year
 * device certificate {@code CN=<id>,OU=devices,O=Gantry}, where the id comes from the caller's
 * verified TLS certificate, never from the request:
 *
 * <ul>
 *   <li>{@link #enroll}: the caller holds a factory credential {@code CN=<id>,OU=factory}; it is
 *       consumed atomically by the first successful enrollment ({@link FactoryCredentialLedger}).</li>
 *   <li>{@link #reenroll}: the caller holds its current, unexpired (TLS checked that) and unrevoked
 *       device certificate; rekeying is allowed.</li>
 * </ul>
 *
 * Every refusal throws an {@link ApiException} with an {@link EstRefusal} code after recording it as a
 * security event; nothing is issued or consumed by a refused request.
 */
public final class EstEnrollment {
    private final IssuingAuthority authority;
    private final Database database;
    private final SecurityEvents events;
    private final EnrollmentRegistry registry;
    private final ReenrollmentPolicy policy;
    private final Clock clock;
    private final FactoryCredentialLedger ledger = new FactoryCredentialLedger();

    /**
     * @param authority the issuing CA
     * @param database where factory credentials are consumed
     * @param events where refusals are recorded
     * @param registry where issued certificates are recorded and revocation is looked up
     * @param clock the time source of consumption records
     */
    public EstEnrollment(IssuingAuthority authority, Database database, SecurityEvents events, EnrollmentRegistry registry,
            Clock clock) {
        this(authority, database, events, registry, ReenrollmentPolicy.DEFAULT, clock);
    }

    /**
     * As {@link #EstEnrollment(IssuingAuthority, Database, SecurityEvents, EnrollmentRegistry, Clock)}, with
     * {@code policy} limiting renewals per device.
     */
    public EstEnrollment(IssuingAuthority authority, Database database, SecurityEvents events, EnrollmentRegistry registry,
            ReenrollmentPolicy policy, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.authority = Objects.requireNonNull(authority, "authority");
        this.database = Objects.requireNonNull(database, "database");
        this.events = Objects.requireNonNull(events, "events");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the issuing CA */
    public IssuingAuthority authority() {
        return authority;
    }

    /**
     * simpleenroll with a one-time factory credential.
     *
     * @param chain the caller's verified TLS client chain, leaf first
     * @param body the request body (base64 PKCS#10)
     * @return the new device certificate
     */
    public X509Certificate enroll(X509Certificate[] chain, byte[] body, String remoteAddress) {
        try {
            ClientIdentity who = requireRole(chain, Role.FACTORY, EstRefusal.NOT_A_FACTORY_CREDENTIAL, remoteAddress);
            X509Certificate factory = chain[0];
            if (database.inTransaction(c -> ledger.isUsed(c, factory))) {
                throw refused(chain, remoteAddress, EstRefusal.FACTORY_CREDENTIAL_USED,
                        "this factory credential already enrolled device " + who.commonName());
            }
            X509Certificate issued = issue(chain, body, who.commonName(), remoteAddress);
            try {
                database.inTransaction(c -> {
                    ledger.consume(c, factory, who.commonName(), issued, clock.instant());
                    return null;
                });
            } catch (SQLException race) {
                if (!Dialect.isDuplicateKey(race)) {
                    throw race;
                }
                throw refused(chain, remoteAddress, EstRefusal.FACTORY_CREDENTIAL_USED,
                        "this factory credential already enrolled device " + who.commonName());
            }
            try {
                registry.issued(issued, Role.DEVICE);
            } catch (Exception e) {
                // Not handed out: give the credential back so the device can try again.
                database.inTransaction(c -> {
                    ledger.release(c, factory);
                    return null;
                });
                throw new IllegalStateException("could not record the issued certificate", e);
            }
            return issued;
        } catch (SQLException e) {
            throw new IllegalStateException("database failure during enrollment", e);
        }
    }

    /**
     * simplereenroll with the current device certificate.
     *
     * @param chain the caller's verified TLS client chain, leaf first
     * @param body the request body (base64 PKCS#10)
     * @return the new device certificate
     */
    public X509Certificate reenroll(X509Certificate[] chain, byte[] body, String remoteAddress) {
        ClientIdentity who = requireRole(chain, Role.DEVICE, EstRefusal.NOT_A_DEVICE, remoteAddress);
        boolean revoked;
        try {
            revoked = registry.isRevoked(chain[0]);
        } catch (Exception e) {
            throw new IllegalStateException("cannot tell whether the certificate is revoked", e);
        }
        if (revoked) {
            throw refused(chain, remoteAddress, SecurityEventCode.CERT_REVOKED, "a revoked certificate cannot renew itself");
        }
        requireUnderLimit(chain, who.commonName(), remoteAddress);
        X509Certificate issued = issue(chain, body, who.commonName(), remoteAddress);
        try {
            registry.issued(issued, Role.DEVICE);
            registry.renewed(chain[0], issued, who.commonName());
        } catch (Exception e) {
            throw new IllegalStateException("could not record the issued certificate", e);
        }
        return issued;
    }

    /** Refuses a renewal past {@link ReenrollmentPolicy#maxPerWindow()} with 429 REENROLL_LIMIT and Retry-After. */
    private void requireUnderLimit(X509Certificate[] chain, String deviceId, String remoteAddress) {
        Instant now = clock.instant();
        List<Instant> recent;
        try {
            recent = registry.renewalsSince(deviceId, now.minus(policy.window()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot count the device's renewals", e);
        }
        if (recent.size() >= policy.maxPerWindow()) {
            Duration retry = Duration.between(now, recent.get(0).plus(policy.window()));
            ApiException e = new ApiException(EstRefusal.REENROLL_LIMIT, "at most " + policy.maxPerWindow()
                    + " renewals per device in " + policy.window() + "; retry in " + retry.toSeconds() + " s", retry);
            throw recorded(chain, remoteAddress, e);
        }
    }

    private X509Certificate issue(X509Certificate[] chain, byte[] body, String deviceId, String remoteAddress) {
        PublicKey key;
        try {
            PKCS10CertificationRequest csr = CsrRequests.parse(body);
            key = CsrRequests.verifiedP256Key(csr, IssuingAuthority.verifiers());
            CsrRequests.requireSubject(csr, deviceId);
        } catch (ApiException e) {
            throw recorded(chain, remoteAddress, e);
        }
        try {
            return authority.ca().issueDevice(deviceId, key).get(0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the CA could not sign", e);
        }
    }

    private ClientIdentity requireRole(X509Certificate[] chain, Role role, EstRefusal code, String remoteAddress) {
        ClientIdentity who = ClientIdentity.fromChain(chain);
        if (who == null || who.role() != role) {
            throw refused(chain, remoteAddress, code, "this operation needs a certificate with OU=" + role.organisationalUnit());
        }
        return who;
    }

    private ApiException refused(X509Certificate[] chain, String remoteAddress, FailureCode code, String message) {
        return recorded(chain, remoteAddress, new ApiException(code, message));
    }

    private ApiException recorded(X509Certificate[] chain, String remoteAddress, ApiException e) {
        events.recordRepeatable(e.code(), RequestOrigin.subjectOf(chain), remoteAddress, e.getMessage());
        return e;
    }
}
