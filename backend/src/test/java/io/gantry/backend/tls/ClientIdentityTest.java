package io.gantry.backend.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gantry.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ClientIdentityTest {
    @Test
    void readsCnAndRoleFromTheLeaf() throws Exception {
        CertificateAuthority ca = CertificateAuthority.createRoot("root", Clock.systemUTC()).issueIntermediate("ca");
        assertEquals(new ClientIdentity("dev-9", Role.DEVICE),
                ClientIdentity.fromChain(ca.issueDevice("dev-9").chain().toArray(new X509Certificate[0])));
        assertEquals(new ClientIdentity("alice", Role.OPERATOR),
                ClientIdentity.fromChain(ca.issueOperator("alice").chain().toArray(new X509Certificate[0])));
    }

    @Test
    void grantsNoRoleWithoutTheRightOu() throws Exception {
        CertificateAuthority ca = CertificateAuthority.createRoot("root", Clock.systemUTC()).issueIntermediate("ca");
        // The CA certificate itself has no OU: an identity without a role.
        assertNull(ClientIdentity.fromChain(new X509Certificate[] {ca.certificate()}).role());
        assertNull(ClientIdentity.fromChain(null));
        assertNull(ClientIdentity.fromChain(new X509Certificate[0]));
    }
}
