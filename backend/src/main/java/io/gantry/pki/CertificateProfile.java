package io.gantry.pki;

import java.time.Duration;

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
    /** Organisational unit of operator certificates; the backend reads it as the role. */
    public static final String OPERATORS_OU = "operators";

    private CertificateProfile() {
    }
}
