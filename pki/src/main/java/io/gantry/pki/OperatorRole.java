package io.gantry.pki;

import java.util.Locale;
import java.util.Optional;

/**
 * What an operator certificate lets its holder do on the management API. The roles travel in the
 * certificate itself ({@link OperatorRoleExtension}), signed by the issuing CA the backend trusts,
 * so they cannot be added by the holder. Every role includes {@link #VIEWER}; the others are
 * independent of each other (docs/backend-api.md, "Operator roles").
 */
public enum OperatorRole {
    /** Reads the fleet, releases, rollouts and logs; changes nothing. */
    VIEWER,
    /** Assigns releases, runs rollouts (create, pause, resume, cancel), cancels actions, edits tags. */
    OPERATOR,
    /** Uploads releases, trust-root releases included. */
    RELEASE_MANAGER,
    /** Revokes certificates, reads the security-event audit trail, acknowledges alerts. */
    SECURITY_OFFICER;

    /** Prefix of the URI each role is written as in the certificate. */
    public static final String URI_PREFIX = "urn:gantry:operator-role:";

    /** @return the role as the certificate carries it, e.g. {@code urn:gantry:operator-role:release-manager} */
    public String uri() {
        return URI_PREFIX + cliName();
    }

    /** @return the lower-case, dashed name the CLI takes, e.g. {@code release-manager} */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param held the roles a certificate carries
     * @return whether they grant this role: they contain it, or this is {@link #VIEWER} and they hold any role
     */
    public boolean grantedBy(java.util.Set<OperatorRole> held) {
        return held.contains(this) || this == VIEWER && !held.isEmpty();
    }

    /** @return the role written as {@code uri}, or empty for any other text (an unknown role grants nothing) */
    public static Optional<OperatorRole> ofUri(String uri) {
        for (OperatorRole r : values()) {
            if (r.uri().equals(uri)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * @param text a CLI name ({@code release-manager}) or enum name ({@code RELEASE_MANAGER}), any case
     * @throws IllegalArgumentException for any other text, naming the roles there are
     */
    public static OperatorRole parse(String text) {
        String n = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (OperatorRole r : values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no operator role " + text + "; roles are viewer, operator, release-manager, "
                + "security-officer");
    }
}
