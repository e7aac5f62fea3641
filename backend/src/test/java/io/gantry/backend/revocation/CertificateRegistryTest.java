package io.gantry.backend.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CertificateProfile;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's in-memory status answers never outlive a revocation, and UNKNOWN is never kept. */
class CertificateRegistryTest {
    @TempDir
    Path tmp;
    Database db;
    CertificateRegistry registry;
    CertificateAuthority intermediate;
    final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.open(tmp.resolve("db"));
        registry = new CertificateRegistry(db, clock, new SecurityEvents(db, new SecurityEventRepository(), clock, 1000));
        intermediate = CertificateAuthority.createRoot("root", clock).issueIntermediate("inter");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    X509Certificate recorded(String id) throws Exception {
        X509Certificate c = intermediate.issueDevice(id).chain().get(0);
        registry.record(c, CertificateProfile.DEVICES_OU);
        return c;
    }

    @Test
    void repeatedGoodAnswerIsKeptAndARevocationIsSeenAtOnce() throws Exception {
        X509Certificate d = recorded("d1");
        CertificateState first = registry.status(d);
        assertEquals(CertificateState.Status.GOOD, first.status());
        assertSame(first, registry.status(d), "the second look-up is answered from memory");

        registry.revoke(Serials.hex(d.getSerialNumber()), RevocationReason.keyCompromise, "test");
        CertificateState revoked = registry.status(d);
        assertEquals(CertificateState.Status.REVOKED, revoked.status());
        assertEquals(RevocationReason.keyCompromise, revoked.reason());
    }

    @Test
    void massRevocationIsSeenAtOnceForEveryKeptAnswer() throws Exception {
        X509Certificate a = recorded("a");
        X509Certificate b = recorded("b");
        assertEquals(CertificateState.Status.GOOD, registry.status(a).status());
        assertEquals(CertificateState.Status.GOOD, registry.status(b).status());

        assertEquals(2, registry.revokeAllIssuedBy(intermediate.certificate(), RevocationReason.cACompromise, "test").size());
        assertEquals(CertificateState.Status.REVOKED, registry.status(a).status());
        assertEquals(CertificateState.Status.REVOKED, registry.status(b).status());
    }

    @Test
    void unknownIsNotKeptSoALaterRecordIsSeen() throws Exception {
        X509Certificate d = intermediate.issueDevice("late").chain().get(0);
        assertEquals(CertificateState.Status.UNKNOWN, registry.status(d).status());
        registry.record(d, CertificateProfile.DEVICES_OU);
        assertEquals(CertificateState.Status.GOOD, registry.status(d).status());
    }

    @Test
    void revocationThroughAnotherNodeIsSeenOnceTheVisibilityBoundHasPassed() throws Exception {
        long[] ticks = {0};
        SecurityEvents events = new SecurityEvents(db, new SecurityEventRepository(), clock, 1000);
        CertificateRegistry nodeA = new CertificateRegistry(db, clock, events, () -> ticks[0]);
        CertificateRegistry nodeB = new CertificateRegistry(db, clock, events, () -> ticks[0]);
        X509Certificate d = recorded("two-nodes");
        CertificateState kept = nodeB.status(d);
        assertEquals(CertificateState.Status.GOOD, kept.status());

        assertEquals(CertificateRegistry.Outcome.REVOKED,
                nodeA.revoke(Serials.hex(d.getSerialNumber()), RevocationReason.keyCompromise, "node A"));
        assertEquals(CertificateState.Status.REVOKED, nodeA.status(d).status(), "the revoking node sees it at once");
        ticks[0] += CertificateRegistry.VISIBILITY.toNanos() - 1;
        assertSame(kept, nodeB.status(d), "within the bound the other node may still answer from memory");
        ticks[0] += 1;
        CertificateState seen = nodeB.status(d);
        assertEquals(CertificateState.Status.REVOKED, seen.status(), "at the bound the other node has re-read the generation");
        assertEquals(nodeA.generation(), nodeB.generation());
    }

    @Test
    void massRevocationThroughAnotherNodeChangesTheGenerationTheCrlIsKeyedOn() throws Exception {
        long[] ticks = {0};
        SecurityEvents events = new SecurityEvents(db, new SecurityEventRepository(), clock, 1000);
        CertificateRegistry nodeA = new CertificateRegistry(db, clock, events, () -> ticks[0]);
        CertificateRegistry nodeB = new CertificateRegistry(db, clock, events, () -> ticks[0]);
        recorded("m1");
        long before = nodeB.generation();
        assertEquals(1, nodeA.revokeAllIssuedBy(intermediate.certificate(), RevocationReason.cACompromise, "node A").size());
        ticks[0] += CertificateRegistry.VISIBILITY.toNanos();
        assertTrue(nodeB.generation() > before, "node B's CRL and OCSP caches are keyed on a number that moved");
    }
}
