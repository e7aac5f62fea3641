package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnassignedDownloadDetectorTest {
    @Test
    void downloadOfAReleaseTheDeviceHasNoActionForIsFound() {
        SyntheticLog log = new SyntheticLog().download("gw-ok", "10.1.0.5", 7, true, 3).download("gw-nosy", "10.1.0.6", 8, false, 2);
        List<Finding> found = UnassignedDownloadDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals(AlertKind.UNASSIGNED_DOWNLOAD, found.get(0).kind());
        assertEquals("gw-nosy", found.get(0).subject());
        assertTrue(found.get(0).message().contains("[8]"), found.get(0).message());
    }

    @Test
    void assignedDownloadsAndResumedRangesAreNot() {
        SyntheticLog log = new SyntheticLog().download("gw-a", "10.1.0.5", 7, true, 40).download("gw-b", "10.1.0.6", 7, true, 2);
        assertEquals(List.of(), UnassignedDownloadDetector.detect(log.window(), SyntheticLog.T));
    }
}
