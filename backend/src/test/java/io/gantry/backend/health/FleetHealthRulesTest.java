package io.gantry.backend.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.FleetHealthSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetHealthRulesTest {
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final FleetHealthRules RULES = new FleetHealthRules(FleetHealthSettings.DEFAULT, Duration.ofSeconds(5));

    static FleetSnapshot.CertificateEnd cert(String serial, String cn, String role, Duration left) {
        return new FleetSnapshot.CertificateEnd(serial, "CN=" + cn + ",OU=" + role + ",O=Gantry", role, cn, NOW.plus(left));
    }

    static FleetSnapshot snapshot(List<FleetSnapshot.CertificateEnd> ending, Map<String, Instant> lastSeen) {
        return new FleetSnapshot(ending, lastSeen, List.of(), List.of(), List.of());
    }

    @Test
    void expirySeverityGrowsAtNinetyThirtyAndSevenDaysAndStaysCriticalOnceExpired() {
        List<Finding> found = RULES.evaluate(snapshot(List.of(cert("a1", "gw-1", "devices", Duration.ofDays(89)),
                cert("a2", "gw-2", "devices", Duration.ofDays(29)), cert("a3", "ops", "operators", Duration.ofDays(6)),
                cert("a4", "gw-4", "devices", Duration.ofDays(-3)), cert("a5", "gw-5", "devices", Duration.ofDays(91))), Map.of()), NOW);
        List<Finding> expiry = found.stream().filter(f -> f.kind() == AlertKind.CERT_EXPIRING).toList();
        assertEquals(List.of("a1", "a2", "a3", "a4"), expiry.stream().map(Finding::subject).toList());
        assertEquals(List.of(AlertSeverity.INFO, AlertSeverity.WARNING, AlertSeverity.CRITICAL, AlertSeverity.CRITICAL),
                expiry.stream().map(Finding::severity).toList());
        assertTrue(expiry.get(3).message().contains("expired at"), expiry.get(3).message());
    }

    @Test
    void aDeviceStillPollingWithACertificateLongInItsRenewalWindowIsFailingToRenew() {
        // window opened 90 days before the end; 14 days overdue means 76 days or fewer left
        List<Finding> found = RULES.evaluate(snapshot(List.of(cert("b1", "gw-stuck", "devices", Duration.ofDays(70)),
                cert("b2", "gw-fresh", "devices", Duration.ofDays(80)), cert("b3", "gw-gone", "devices", Duration.ofDays(70))),
                Map.of("gw-stuck", NOW.minusSeconds(30), "gw-fresh", NOW.minusSeconds(30), "gw-gone", NOW.minus(Duration.ofDays(30)))),
                NOW);
        List<Finding> renewal = found.stream().filter(f -> f.kind() == AlertKind.RENEWAL_FAILING).toList();
        assertEquals(1, renewal.size(), renewal.toString());
        assertEquals("gw-stuck", renewal.get(0).subject());
        assertEquals(AlertSeverity.WARNING, renewal.get(0).severity());
    }

    @Test
    void renewalReportsSilentDevicesAndThresholdPausesAreFindings() {
        FleetSnapshot s = new FleetSnapshot(List.of(), Map.of(),
                List.of(new FleetSnapshot.DeviceSeen("gw-quiet", NOW.minus(Duration.ofMinutes(5)))),
                List.of(new FleetSnapshot.RenewalReport("gw-e", "CERT_RENEWAL_EMERGENCY", NOW.minusSeconds(60)),
                        new FleetSnapshot.RenewalReport("gw-s", "CERT_RENEWAL_ESCALATED", NOW.minusSeconds(60))),
                List.of(new FleetSnapshot.PausedRollout(12, "error threshold crossed: 3 of 5", NOW.minusSeconds(10))));
        List<Finding> found = RULES.evaluate(s, NOW);
        assertEquals(List.of("RENEWAL_FAILING gw-e CRITICAL", "RENEWAL_FAILING gw-s WARNING", "DEVICE_SILENT gw-quiet WARNING",
                "ROLLOUT_OVER_THRESHOLD 12 CRITICAL"), found.stream().map(f -> f.kind() + " " + f.subject() + " " + f.severity()).toList());
    }

    @Test
    void aHealthyFleetHasNoFindings() {
        assertEquals(List.of(), RULES.evaluate(snapshot(List.of(cert("c1", "gw-1", "devices", Duration.ofDays(120))),
                Map.of("gw-1", NOW)), NOW));
        assertEquals(NOW.minusSeconds(60), RULES.silentBefore(NOW), "12 polls of 5 s");
    }
}
