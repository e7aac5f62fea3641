package io.gantry.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator roles survive issuance exactly; a certificate without them, or with foreign ones, carries none. */
class OperatorRoleExtensionTest {
    private final CertificateAuthority root;

    OperatorRoleExtensionTest() throws Exception {
        root = CertificateAuthority.createRoot("role-root", Clock.systemUTC());
    }

    @Test
    void issuedRolesAreReadBackExactly() throws Exception {
        Set<OperatorRole> roles = EnumSet.of(OperatorRole.OPERATOR, OperatorRole.SECURITY_OFFICER);
        assertEquals(roles, OperatorRoleExtension.read(root.issueOperator("alice", roles).certificate()));
    }

    @Test
    void issueOperatorWithoutRolesGrantsEveryRole() throws Exception {
        assertEquals(EnumSet.allOf(OperatorRole.class), OperatorRoleExtension.read(root.issueOperator("bob").certificate()));
    }

    @Test
    void operatorCertificateNeedsARole() {
        assertThrows(IllegalArgumentException.class, () -> root.issueOperator("carol", Set.of()));
    }

    @Test
    void deviceCertificateCarriesNoRole() throws Exception {
        assertEquals(Set.of(), OperatorRoleExtension.read(root.issueDevice("dev-1").certificate()));
    }

    @Test
    void viewerIsGrantedByAnyRoleAndNothingElseIsImplied() {
        assertEquals(true, OperatorRole.VIEWER.grantedBy(Set.of(OperatorRole.RELEASE_MANAGER)));
        assertEquals(false, OperatorRole.VIEWER.grantedBy(Set.of()));
        assertEquals(false, OperatorRole.OPERATOR.grantedBy(Set.of(OperatorRole.RELEASE_MANAGER, OperatorRole.SECURITY_OFFICER)));
    }

    @Test
    void rolesParseFromCliNamesAndUris() {
        assertEquals(OperatorRole.RELEASE_MANAGER, OperatorRole.parse("release-manager"));
        assertEquals(OperatorRole.SECURITY_OFFICER, OperatorRole.ofUri("urn:gantry:operator-role:security-officer").orElseThrow());
        assertEquals(true, OperatorRole.ofUri("urn:other:operator-role:viewer").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> OperatorRole.parse("admin"));
    }

    @Test
    void pkiDirectoryIssuesEachRole(@TempDir Path dir) throws Exception {
        PkiDirectory pki = PkiDirectory.create(dir.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, Clock.systemUTC());
        for (OperatorRole r : OperatorRole.values()) {
            pki.issueOperator("op-" + r.cliName(), r);
            java.security.cert.X509Certificate leaf = pki.loadOperator("op-" + r.cliName()).chain().get(0);
            assertEquals(Set.of(r), OperatorRoleExtension.read(leaf));
        }
    }
}
