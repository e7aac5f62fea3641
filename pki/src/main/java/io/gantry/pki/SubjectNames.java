package io.gantry.pki;

import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Subject names of the Gantry PKI: {@code CN=<id>,OU=<role>,O=Gantry}. Ids are restricted to a
 * plain character set, so they are safe as file names and can never inject extra RDNs.
 */
public final class SubjectNames {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private SubjectNames() {
    }

    /**
     * @param id a device id, operator name or CA name
     * @return {@code id} unchanged
     * @throws IllegalArgumentException unless {@code id} is 1-64 of {@code [A-Za-z0-9._-]}, starting
     *     with a letter or digit, and without {@code ..}
     */
    public static String requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            throw new IllegalArgumentException("not a valid id (1-64 of [A-Za-z0-9._-]): " + id);
        }
        return id;
    }

    /** @return {@code CN=backend:<name>,OU=backend,O=Gantry}: a push identity, whose CN no device id can equal */
    static X500Name pushIdentity(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, CertificateProfile.ORGANISATION)
                .addRDN(BCStyle.OU, CertificateProfile.BACKEND_OU)
                .addRDN(BCStyle.CN, CertificateProfile.PUSH_IDENTITY_PREFIX + requireValidId(name)).build();
    }

    /** @return {@code CN=<cn>,OU=<ou>,O=Gantry}, encoded most significant (O) first */
    static X500Name of(String cn, String ou) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, CertificateProfile.ORGANISATION);
        if (ou != null) {
            b.addRDN(BCStyle.OU, ou);
        }
        return b.addRDN(BCStyle.CN, requireValidId(cn)).build();
    }
}
