package io.gantry.keystore.internal;

import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Reading a device certificate chain the same way for every keystore implementation. */
final class DeviceCertificates {
    private DeviceCertificates() {
    }

    /** @return the chain as X.509 certificates, device certificate first */
    static List<X509Certificate> toX509(Certificate[] certs) throws GeneralSecurityException {
        if (certs == null || certs.length == 0) {
            throw new GeneralSecurityException("device key has no certificate chain");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            out.add((X509Certificate) c);
        }
        return List.copyOf(out);
    }

    /** @return the subject CN of {@code cert}: the device id */
    static String commonName(X509Certificate cert) throws GeneralSecurityException {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            throw new GeneralSecurityException("unparseable certificate subject", e);
        }
        throw new GeneralSecurityException("device certificate subject has no CN");
    }
}
