package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnscheduledCampaignDetectorTest {
    @Test
    void manyDevicesGivenOneReleaseOutsideAnyRolloutIsACampaign() {
        SyntheticLog log = new SyntheticLog();
        for (int i = 0; i < 25; i++) {
            log.assign("gw-" + i, 42, false);
        }
        log.assign("gw-x", 43, false);
        List<Finding> found = UnscheduledCampaignDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals(AlertKind.UNSCHEDULED_CAMPAIGN, found.get(0).kind());
        assertEquals("42", found.get(0).subject());
    }

    @Test
    void aRolloutOfManyDevicesAndAFewSingleAssignmentsAreNot() {
        SyntheticLog log = new SyntheticLog();
        for (int i = 0; i < 200; i++) {
            log.assign("gw-" + i, 42, true);
        }
        for (int i = 0; i < 19; i++) {
            log.assign("gw-" + i, 43, false);
            log.assign("gw-" + i, 43, false);
        }
        assertEquals(List.of(), UnscheduledCampaignDetector.detect(log.window(), SyntheticLog.T));
    }
}
