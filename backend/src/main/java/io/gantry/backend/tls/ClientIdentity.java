package io.gantry.backend.tls;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Who is calling, read from the leaf of the TLS client chain JSSE already verified: the subject's
 * single CN is the identity and its single OU the role. A subject with zero or several CNs or OUs,
 * or multi-valued RDNs, yields no identity rather than a guess.
 *
 * @param commonName the CN: controller id of a device, or operator name
 * @param role the role the OU grants, {@code null} if the OU grants none
 */
public record ClientIdentity(String commonName, Role role) implements Principal {
    /** @throws NullPointerException if the CN is null */
    public ClientIdentity {
        Objects.requireNonNull(commonName, "commonName");
    }

    /**
     * @param chain the verified client chain, leaf first
     * @return the identity, or {@code null} if the chain is absent or the subject is ambiguous
     */
    public static ClientIdentity fromChain(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return null;
        }
        X500Name subject = X500Name.getInstance(chain[0].getSubjectX500Principal().getEncoded());
        String cn = single(subject, subject.getRDNs(BCStyle.CN));
        String ou = single(subject, subject.getRDNs(BCStyle.OU));
        return cn == null ? null : new ClientIdentity(cn, ou == null ? null : Role.ofOrganisationalUnit(ou));
    }

    private static String single(X500Name subject, RDN[] rdns) {
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        return rdns[0].getFirst().getValue() instanceof ASN1String s ? s.getString() : null;
    }

    @Override
    public String getName() {
        return commonName;
    }
}
