package io.gantry.pki;

import java.time.Duration;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** Validity periods of the certificates this CA issues. */
public final class CertificateProfile {
    /** Root CA: 20 years. */
    public static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365 + 5);
    /** Intermediate CA: 10 years. */
    public static final Duration INTERMEDIATE_VALIDITY = Duration.ofDays(10 * 365 + 3);
    /** TLS server: 2 years. */
    public static final Duration SERVER_VALIDITY = Duration.ofDays(2 * 365 + 1);
    /** Device client certificate: 5 years. */
    public static final Duration DEVICE_VALIDITY = Duration.ofDays(5 * 365 + 2);
    /** Operator client certificate: 1 year. */
    public static final Duration OPERATOR_VALIDITY = Duration.ofDays(365);
    /** Organisation in every subject DN. */
    public static final String ORGANISATION = "Gantry";
    /** Organisational unit of device certificates; the backend reads it as the role. */
    public static final String DEVICES_OU = "devices";
    /** Organisational unit of one-time factory credentials (first EST enrollment only). */
    public static final String FACTORY_OU = "factory";
    /** Factory credential: 30 days by default, accepted for exactly one EST simpleenroll. */
    public static final Duration FACTORY_VALIDITY = Duration.ofDays(30);
    /**
     * Organisational unit of the backend's push identity, its client certificate on an external MQTT
     * broker; the backend's APIs and embedded broker grant it nothing.
     */
    public static final String BACKEND_OU = "backend";
    /**
     * Prefix of a push identity's CN: {@code backend:<name>}. A device id cannot contain {@code :}
     * ({@link SubjectNames#requireValidId}), so no device certificate ever carries a push identity's
     * CN, the name an external broker's ACL grants the command topics to.
     */
    public static final String PUSH_IDENTITY_PREFIX = "backend:";
    /** Push identity: 2 years. */
    public static final Duration PUSH_IDENTITY_VALIDITY = Duration.ofDays(2 * 365 + 1);
    /** Organisational unit of operator certificates; the backend reads it as the role. */
    public static final String OPERATORS_OU = "operators";

    /** Role of TLS server certificates in the issuance log and certificate registry. */
    public static final String ROLE_SERVER = "server";
    /** Role of intermediate CA certificates. */
    public static final String ROLE_INTERMEDIATE = "intermediate";
    /** Role of delegated OCSP signing certificates. */
    public static final String ROLE_OCSP_RESPONDER = "ocsp-responder";

    private CertificateProfile() {
    }

    /**
     * The role a certificate is recorded under: {@code intermediate} for a CA, {@code server} or
     * {@code ocsp-responder} by extended key usage, else the subject's OU ({@code devices},
     * {@code operators}, ...).
     */
    static String roleOf(X500Name subject, boolean ca, KeyPurposeId eku) {
        if (ca) {
            return ROLE_INTERMEDIATE;
        }
        if (KeyPurposeId.id_kp_serverAuth.equals(eku)) {
            return ROLE_SERVER;
        }
        if (KeyPurposeId.id_kp_OCSPSigning.equals(eku)) {
            return ROLE_OCSP_RESPONDER;
        }
        RDN[] ou = subject.getRDNs(BCStyle.OU);
        return ou.length == 1 ? IETFUtils.valueToString(ou[0].getFirst().getValue()) : "unknown";
    }
}
