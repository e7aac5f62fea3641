package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.backend.alerts.AlertSubject;
import io.gantry.backend.alerts.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadBurstDetectorTest {
    @Test
    void aDeviceFarAboveItsBaselineIsABurst() {
        SyntheticLog log = new SyntheticLog().baseline("gw-loud", SyntheticLog.perWindow(2), "10.1.0.5")
                .download("gw-loud", "10.1.0.5", 7, true, 45).download("gw-calm", "10.1.0.6", 7, true, 3);
        List<Finding> found = DownloadBurstDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals("gw-loud", found.get(0).subject());
        assertEquals(AlertSubject.DEVICE, found.get(0).subjectType());
    }

    @Test
    void theWholeFleetFarAboveItsBaselineIsAFleetBurst() {
        SyntheticLog log = new SyntheticLog();
        for (int i = 0; i < 40; i++) {
            // each device busy but under the per-device minimum; together ten times the fleet's usual
            log.baseline("gw-" + i, SyntheticLog.perWindow(0.5), "10.1.0." + i).download("gw-" + i, "10.1.0." + i, 7, true, 20);
        }
        List<Finding> found = DownloadBurstDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals(AlertSubject.FLEET, found.get(0).subjectType());
    }

    @Test
    void aBusyDeviceWithinItsUsualRateIsNot() {
        SyntheticLog log = new SyntheticLog().baseline("gw-busy", SyntheticLog.perWindow(40), "10.1.0.5")
                .download("gw-busy", "10.1.0.5", 7, true, 60).download("gw-new", "10.1.0.6", 7, true, 25);
        assertEquals(List.of(), DownloadBurstDetector.detect(log.window(), SyntheticLog.T));
    }
}
