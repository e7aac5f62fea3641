package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClonedIdentityDetectorTest {
    @Test
    void oneCertificateFromManyAddressesAtOnceIsAClone() {
        SyntheticLog log = new SyntheticLog().checkIn("gw-cloned", "1a2b", "198.51.100.7").checkIn("gw-cloned", "1a2b", "203.0.113.9")
                .checkIn("gw-cloned", "1a2b", "192.0.2.44").download("gw-cloned", "100.64.3.3", 7, true, 1)
                .checkIn("gw-single", "3c4d", "198.51.100.8");
        List<Finding> found = ClonedIdentityDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals(AlertKind.CLONED_IDENTITY, found.get(0).kind());
        assertEquals("gw-cloned", found.get(0).subject());
        assertTrue(found.get(0).message().startsWith("4 distinct addresses") && found.get(0).message().contains("1a2b"),
                found.get(0).message());
    }

    @Test
    void aDeviceThatMovedOnceOrPollsOftenFromOneAddressIsNot() {
        SyntheticLog log = new SyntheticLog().checkIn("gw-roaming", "1a2b", "198.51.100.7").checkIn("gw-roaming", "1a2b", "203.0.113.9")
                .download("gw-steady", "10.0.0.1", 7, true, 50).checkIn("gw-steady", "5e", "10.0.0.1");
        assertEquals(List.of(), ClonedIdentityDetector.detect(log.window(), SyntheticLog.T));
    }
}
