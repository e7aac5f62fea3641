package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    @Test
    void opensInTheDevicesLocalTime() {
        MaintenanceWindow w = MaintenanceWindow.parse("02:00-04:00@Europe/Berlin");
        assertTrue(w.isOpen(Instant.parse("2026-12-04T01:30:00Z")), "02:30 in Berlin (UTC+1)");
        assertTrue(w.isOpen(Instant.parse("2026-12-04T02:30:00Z")), "03:30 local");
        assertFalse(w.isOpen(Instant.parse("2026-12-04T03:00:00Z")), "04:00 local: closed");
        assertFalse(w.isOpen(Instant.parse("2026-12-04T00:30:00Z")), "01:30 local");
        assertTrue(w.isOpen(Instant.parse("2026-07-04T00:30:00Z")), "02:30 local in summer (UTC+2)");
    }

    @Test
    void aWindowOverMidnight() {
        MaintenanceWindow w = MaintenanceWindow.parse("23:00-01:00@UTC");
        assertTrue(w.isOpen(Instant.parse("2026-12-04T23:30:00Z")));
        assertTrue(w.isOpen(Instant.parse("2026-12-05T00:59:00Z")));
        assertFalse(w.isOpen(Instant.parse("2026-12-05T01:00:00Z")));
        assertFalse(w.isOpen(Instant.parse("2026-12-04T12:00:00Z")));
    }

    @Test
    void roundTripsAndRefusesNonsense() {
        assertEquals("02:00-04:00@Europe/Berlin", MaintenanceWindow.parse("02:00-04:00@Europe/Berlin").format());
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("02:00-02:00@UTC"));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("2-4@UTC"));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse("02:00-04:00@Nowhere/Land"));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindow.parse(null));
    }
}
