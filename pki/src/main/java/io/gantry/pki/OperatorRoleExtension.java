package io.gantry.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.RoleSyntax;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * Operator roles inside the operator certificate: the standard Subject Directory Attributes
 * extension (RFC 5280 4.2.1.8, non-critical) holding one {@code role} attribute (X.520
 * id-at-role, 2.5.4.72) whose values are RFC 5755 {@code RoleSyntax} with the role as a URI
 * {@code roleName} ({@link OperatorRole#uri()}). The CA signs it with the rest of the certificate,
 * so only the issuing CA the backend trusts can grant a role.
 *
 * <p>Reading fails closed: no extension, a malformed one, a role attribute with a role authority
 * or a name that is not one of ours all contribute no role; the backend then refuses every
 * management endpoint (403 ROLE_REQUIRED).
 */
public final class OperatorRoleExtension {
    /** X.520 id-at-role. */
    public static final ASN1ObjectIdentifier ID_AT_ROLE = new ASN1ObjectIdentifier("2.5.4.72");

    private OperatorRoleExtension() {
    }

    /** Adds the extension carrying {@code roles} to a certificate being built. */
    static void addTo(X509v3CertificateBuilder builder, Set<OperatorRole> roles) throws CertIOException {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("an operator certificate needs at least one role");
        }
        ASN1EncodableVector values = new ASN1EncodableVector();
        for (OperatorRole r : EnumSet.copyOf(roles)) {
            values.add(new RoleSyntax(new GeneralName(GeneralName.uniformResourceIdentifier, r.uri())));
        }
        List<Attribute> attributes = List.of(new Attribute(ID_AT_ROLE, new DERSet(values)));
        builder.addExtension(Extension.subjectDirectoryAttributes, false,
                new SubjectDirectoryAttributes(new java.util.Vector<>(attributes)));
    }

    /**
     * @param certificate an operator certificate whose chain has been verified
     * @return the roles it carries; empty if it carries none or the extension cannot be read
     */
    public static Set<OperatorRole> read(X509Certificate certificate) {
        byte[] der = certificate.getExtensionValue(Extension.subjectDirectoryAttributes.getId());
        if (der == null) {
            return Set.of();
        }
        try {
            SubjectDirectoryAttributes sda = SubjectDirectoryAttributes.getInstance(
                    ASN1OctetString.getInstance(der).getOctets());
            Set<OperatorRole> roles = EnumSet.noneOf(OperatorRole.class);
            for (Object o : sda.getAttributes()) {
                Attribute a = Attribute.getInstance(o);
                if (!ID_AT_ROLE.equals(a.getAttrType())) {
                    continue;
                }
                for (ASN1Encodable v : a.getAttributeValues()) {
                    RoleSyntax role = RoleSyntax.getInstance(v);
                    if (role.getRoleAuthority() == null
                            && role.getRoleName().getTagNo() == GeneralName.uniformResourceIdentifier) {
                        OperatorRole.ofUri(role.getRoleNameAsString()).ifPresent(roles::add);
                    }
                }
            }
            return Collections.unmodifiableSet(roles);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            return Set.of();
        }
    }

    /** @return the roles' names in declaration order, for messages */
    public static List<String> names(Set<OperatorRole> roles) {
        List<String> out = new ArrayList<>();
        for (OperatorRole r : OperatorRole.values()) {
            if (roles.contains(r)) {
                out.add(r.name());
            }
        }
        return out;
    }
}
