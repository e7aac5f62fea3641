package io.gantry.backend.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CertificateProfile;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replaced certificate's lifecycle without a server: superseded at first use, or once the grace period has passed. */
class CertificateRenewalsTest {
    @TempDir
    Path tmp;
    Database db;
    TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    CertificateRegistry registry;
    CertificateAuthority ca;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp.resolve("db"));
        registry = new CertificateRegistry(db, clock, new SecurityEvents(db, new SecurityEventRepository(), clock, 1000));
        ca = CertificateAuthority.createRoot("root", clock).issueIntermediate("inter");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    String recorded(String id) throws Exception {
        X509Certificate c = ca.issueDevice(id).chain().get(0);
        registry.record(c, CertificateProfile.DEVICES_OU);
        return Serials.hex(c.getSerialNumber());
    }

    @Test
    void replacedCertificateIsRevokedAsSupersededWhenTheGracePeriodHasPassed() throws Exception {
        CertificateRenewals renewals = new CertificateRenewals(db, registry, clock, Duration.ofHours(24));
        String old = recorded("dev");
        String fresh = recorded("dev");
        renewals.renewed(old, fresh, "dev");
        clock.advance(Duration.ofHours(23));
        assertEquals(0, renewals.supersedeOverdue());
        assertEquals(CertificateState.Status.GOOD, registry.status(old).status());
        clock.advance(Duration.ofHours(1));
        assertEquals(1, renewals.supersedeOverdue());
        CertificateState s = registry.status(old);
        assertEquals(CertificateState.Status.REVOKED, s.status());
        assertEquals(RevocationReason.superseded, s.reason());
        assertEquals(CertificateState.Status.GOOD, registry.status(fresh).status());
        assertEquals(0, renewals.supersedeOverdue(), "settled once");
    }

    @Test
    void firstUseSupersedesAndSurvivesARestart() throws Exception {
        String old = recorded("dev");
        String fresh = recorded("dev");
        new CertificateRenewals(db, registry, clock, Duration.ofHours(24)).renewed(old, fresh, "dev");
        // A restarted backend still knows the renewal waits for its first use.
        CertificateRenewals restarted = new CertificateRenewals(db, registry, clock, Duration.ofHours(24));
        restarted.firstUse(fresh);
        assertEquals(RevocationReason.superseded, registry.status(old).reason());
        assertEquals(1, restarted.renewalsSince("dev", clock.instant().minus(Duration.ofDays(1))).size());
    }

    @Test
    void zeroGraceRevokesAtOnce() throws Exception {
        String old = recorded("dev");
        new CertificateRenewals(db, registry, clock, Duration.ZERO).renewed(old, recorded("dev"), "dev");
        assertEquals(CertificateState.Status.REVOKED, registry.status(old).status());
    }
}
