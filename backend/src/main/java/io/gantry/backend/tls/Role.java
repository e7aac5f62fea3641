package io.gantry.backend.tls;

import io.gantry.pki.CertificateProfile;

/** What a client certificate's OU lets its holder do. */
public enum Role {
    /** {@code OU=devices}: the device API, for its own controller id only. */
    DEVICE(CertificateProfile.DEVICES_OU),
    /** {@code OU=operators}: the management API. */
    OPERATOR(CertificateProfile.OPERATORS_OU),
    /** {@code OU=factory}: one EST simpleenroll for its own CN, nothing else. */
    FACTORY(CertificateProfile.FACTORY_OU);

    private final String organisationalUnit;

    Role(String organisationalUnit) {
        this.organisationalUnit = organisationalUnit;
    }

    /** @return the OU value that grants this role */
    public String organisationalUnit() {
        return organisationalUnit;
    }

    /** @return the role granted by {@code ou}, or {@code null} for any other value */
    public static Role ofOrganisationalUnit(String ou) {
        for (Role r : values()) {
            if (r.organisationalUnit.equals(ou)) {
                return r;
            }
        }
        return null;
    }
}
