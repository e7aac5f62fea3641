package io.gantry.renewal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalPhase;
import io.gantry.testing.TestClock;
import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler against the real FileKeyStore and an EST server on loopback over mutual TLS; time
 * moves only through the test clock.
 */
class RenewalSchedulerTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.now());
    private TestPki ca;
    private TestEstServer est;

    @AfterEach
    void stop() {
        if (est != null) {
            est.close();
        }
    }

    private RenewalScheduler scheduler(Duration validFor, boolean configData) throws Exception {
        ca = new TestPki();
        est = new TestEstServer(ca, configData);
        RenewableIdentity identity = DeviceIdentities.fileKeyStore(dir, ca, clock.instant().plus(validFor));
        return new RenewalScheduler(identity, TestConfigs.of(RenewalConfig.class).with("backendUrl", est.uri().toString()).build(),
                clock, new Random(7));
    }

    private RenewableIdentity identity(RenewalScheduler s) throws Exception {
        java.lang.reflect.Field f = RenewalScheduler.class.getDeclaredField("identity");
        f.setAccessible(true);
        return (RenewableIdentity) f.get(s);
    }

    @Test
    void farFromExpiryNothingHappensUntilNinetyDaysBefore() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(400), false);
        RenewalPlan plan = s.runCycle();
        assertEquals(RenewalPhase.NORMAL, plan.phase());
        assertEquals(s.notAfter().minus(Duration.ofDays(90)), s.nextAttempt());
        assertTrue(est.clientCertificates.isEmpty(), "no EST request in NORMAL");
    }

    @Test
    void insideTheWindowRenewsWithTheCurrentCertificateAndSwitchesToTheNewOne() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        RenewableIdentity identity = identity(s);
        X509Certificate old = identity.certificateChain().get(0);
        assertEquals(RenewalPhase.RENEWING, s.phase());

        assertEquals(RenewalPhase.NORMAL, s.runCycle().phase());
        X509Certificate renewed = identity.certificateChain().get(0);
        assertEquals(old, est.clientCertificates.get(0), "simplereenroll authenticated with the current certificate");
        assertNotEquals(old.getPublicKey(), renewed.getPublicKey());
        assertEquals(old.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertEquals(renewed.getNotAfter().toInstant(), s.notAfter());
        assertEquals(0, s.failures());
        assertTrue(s.lastError().isEmpty());
        assertTrue(Files.exists(dir.resolve("device.p12.previous")));
    }

    @Test
    void aDueAttemptWaitsForTheTrustRootPolicyWithoutCountingAFailure() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false).gatedOnTrustPolicy();
        RenewalPlan waiting = s.runCycle();
        assertEquals(clock.instant().plus(RenewalScheduler.POLICY_WAIT), waiting.at());
        assertTrue(est.clientCertificates.isEmpty(), "no EST request without the trust root's TLS policy");
        assertEquals(0, s.failures());
        assertTrue(s.lastError().orElseThrow().contains("waiting for the release verifier"), s.lastError().toString());

        assertEquals(clock.instant(), s.nextAttempt(), "the attempt stays due");

        s.bindTrustPolicy(Optional::empty);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(RenewalPhase.NORMAL, s.runCycle().phase(), "the cycle the binding triggers renews at once");
        assertEquals(1, est.clientCertificates.size());
    }

    @Test
    void backendDownBacksOffAndKeepsTheIdentity() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        byte[] p12 = Files.readAllBytes(dir.resolve("device.p12"));
        X509Certificate old = identity(s).certificateChain().get(0);
        est.close();
        for (int failures = 1; failures <= 4; failures++) {
            Instant now = clock.instant();
            s.runCycle();
            assertEquals(failures, s.failures());
            assertTrue(s.lastError().orElseThrow().startsWith("BACKEND_UNREACHABLE"), s.lastError().get());
            Duration wait = Duration.between(now, s.nextAttempt());
            assertTrue(!wait.isNegative() && wait.compareTo(Duration.ofMinutes(15L << (failures - 1))) < 0, wait.toString());
            clock.advance(wait);
        }
        assertEquals(old, identity(s).certificateChain().get(0));
        assertArrayEquals(p12, Files.readAllBytes(dir.resolve("device.p12")));
        assertFalse(Files.exists(dir.resolve("device.p12.previous")));
    }

    @Test
    void notDueYetDoesNotAttempt() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        est.mode = TestEstServer.Mode.SERVER_ERROR;
        s.runCycle();
        Instant next = s.nextAttempt();
        s.runCycle();
        assertEquals(1, est.clientCertificates.size(), "an early wake-up makes no request");
        assertEquals(next, s.nextAttempt());
    }

    @Test
    void pendingEnrollmentIsRetriedAfterTheServersDelay() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        est.mode = TestEstServer.Mode.RETRY_AFTER_120;
        s.runCycle();
        assertEquals(clock.instant().plusSeconds(120), s.nextAttempt());
        assertEquals(0, s.failures(), "202 is not a failure");
        assertTrue(s.lastError().orElseThrow().startsWith("RETRY_LATER"));
        est.mode = TestEstServer.Mode.ISSUE;
        clock.advance(Duration.ofSeconds(120));
        s.runCycle();
        assertEquals(RenewalPhase.NORMAL, s.phase());
    }

    @Test
    void escalatedFailureIsReportedThroughConfigData() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(20), true);
        est.mode = TestEstServer.Mode.SERVER_ERROR;
        s.runCycle();
        assertEquals(RenewalPhase.ESCALATED, s.phase());
        assertTrue(s.lastError().orElseThrow().startsWith("REFUSED"), s.lastError().get());
        String report = est.configDataBodies.get(0);
        assertTrue(report.startsWith("PUT /DEFAULT/controller/v1/gw-renewal/configData {\"mode\":\"merge\",\"data\":{"), report);
        assertTrue(report.contains("\"cert.renewal\":\"ESCALATED\"") && report.contains("\"cert.lastError\":\"REFUSED"), report);

        est.mode = TestEstServer.Mode.ISSUE;
        clock.advance(Duration.between(clock.instant(), s.nextAttempt()));
        s.runCycle();
        assertTrue(est.configDataBodies.get(1).contains("\"cert.renewal\":\"RENEWED\""), "the alert clears");
    }

    @Test
    void backendWithoutConfigDataIsToleratedAndRenewalGoesOn() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(20), false);
        est.mode = TestEstServer.Mode.SERVER_ERROR;
        s.runCycle();
        assertEquals(1, s.failures());
        est.mode = TestEstServer.Mode.ISSUE;
        clock.advance(Duration.between(clock.instant(), s.nextAttempt()));
        s.runCycle();
        assertEquals(RenewalPhase.NORMAL, s.phase());
    }

    @Test
    void emergencyRetriesAtTheShortFixedInterval() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(3), true);
        est.mode = TestEstServer.Mode.SERVER_ERROR;
        for (int i = 0; i < 3; i++) {
            Instant now = clock.instant();
            s.runCycle();
            assertEquals(RenewalPhase.EMERGENCY, s.phase());
            assertEquals(now.plus(Duration.ofMinutes(10)), s.nextAttempt());
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(3, est.configDataBodies.size());
        assertTrue(est.configDataBodies.get(2).contains("\"cert.renewal\":\"EMERGENCY\""));
    }

    @Test
    void certificateForAnotherKeyIsRefusedAndIdentityKept() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        X509Certificate old = identity(s).certificateChain().get(0);
        est.mode = TestEstServer.Mode.ISSUE_FOR_OTHER_KEY;
        s.runCycle();
        assertTrue(s.lastError().orElseThrow().startsWith("KEY_MISMATCH"), s.lastError().get());
        assertEquals(old, identity(s).certificateChain().get(0));
    }

    @Test
    void certificateFromANewIntermediateIsCompletedFromCacerts() throws Exception {
        RenewalScheduler s = scheduler(Duration.ofDays(60), false);
        est.issuing = ca.newIntermediate("CN=test-issuing-ca-2");
        est.mode = TestEstServer.Mode.ISSUE_LEAF_ONLY;
        s.runCycle();
        assertTrue(s.lastError().isEmpty(), () -> s.lastError().get());
        assertEquals(est.issuing.issuer, identity(s).certificateChain().get(1));
    }
}
