package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gantry.backend.alerts.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkRegionDetectorTest {
    @Test
    void regionsArePrefixesOfAddressLiteralsOnly() {
        assertEquals("203.0.0.0/16", NetworkRegion.of("203.0.113.9", 16));
        assertEquals("203.0.113.0/24", NetworkRegion.of("203.0.113.9", 24));
        assertEquals("2001:db8:aa:0:0:0:0:0/48", NetworkRegion.of("2001:db8:aa:17::5", 16));
        assertNull(NetworkRegion.of("backend.example", 16), "a name is never looked up");
        assertNull(NetworkRegion.of("300.1.1.1", 16));
        assertNull(NetworkRegion.of(null, 16));
    }

    @Test
    void severalDevicesFromARegionTheBaselineNeverSawAreFound() {
        SyntheticLog log = new SyntheticLog().baseline("gw-1", 10, "10.1.0.5").baseline("gw-2", 10, "10.2.7.1")
                .checkIn("gw-1", "a1", "203.0.113.9").checkIn("gw-2", "a2", "203.0.7.1").download("gw-3", "203.0.200.3", 7, true, 2)
                .checkIn("gw-4", "a4", "10.1.9.9");
        List<Finding> found = NetworkRegionDetector.detect(log.window(), SyntheticLog.T);
        assertEquals(1, found.size(), found.toString());
        assertEquals("203.0.0.0/16", found.get(0).subject());
    }

    @Test
    void usualRegionsAFewStraysAndAnEmptyBaselineAreNot() {
        SyntheticLog usual = new SyntheticLog().baseline("gw-1", 10, "10.1.0.5").baseline("gw-2", 10, "203.0.1.1")
                .checkIn("gw-1", "a1", "10.1.200.9").checkIn("gw-2", "a2", "203.0.7.1").checkIn("gw-3", "a3", "198.51.100.1")
                .checkIn("gw-4", "a4", "198.51.100.2");
        assertEquals(List.of(), NetworkRegionDetector.detect(usual.window(), SyntheticLog.T));
        SyntheticLog fresh = new SyntheticLog().checkIn("gw-1", "a1", "203.0.113.9").checkIn("gw-2", "a2", "203.0.7.1")
                .checkIn("gw-3", "a3", "203.0.7.2");
        assertEquals(List.of(), NetworkRegionDetector.detect(fresh.window(), SyntheticLog.T), "no baseline, nothing to compare with");
    }
}
