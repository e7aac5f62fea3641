package io.gantry.backend.rollout;

import io.gantry.backend.db.MaintenanceWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Whether a device may be started, and its maintenance window in its own time zone. A device is
 * held (and reported, never updated) when its newest good certificate expires within the
 * rollout's hold period, when no good certificate of it is on record (fail closed), or when its
 * time zone attribute names no zone. Pure.
 */
public final class DeviceHold {
    private DeviceHold() {
    }

    /**
     * @param spec the rollout
     * @param now the scheduler's time
     * @param certificateExpiry when the device's newest GOOD certificate expires, empty if none is on record
     * @return why the device is held, or empty when it may be started
     */
    public static Optional<String> reason(RolloutSpec spec, Instant now, Optional<Instant> certificateExpiry) {
        if (spec.certificateHoldDays() == 0) {
            return Optional.empty();
        }
        if (certificateExpiry.isEmpty()) {
            return Optional.of("no valid certificate of this device is on record");
        }
        Instant limit = now.plus(Duration.ofDays(spec.certificateHoldDays()));
        if (certificateExpiry.get().isBefore(limit)) {
            return Optional.of("certificate expires " + certificateExpiry.get() + ", within the rollout's hold of "
                    + spec.certificateHoldDays() + " days: renew it first");
        }
        return Optional.empty();
    }

    /**
     * @param zoneAttribute the device's time zone attribute, if it reported one
     * @return the device's zone: the attribute's, else UTC
     * @throws IllegalArgumentException if the attribute names no zone
     */
    public static ZoneId zone(Optional<String> zoneAttribute) {
        if (zoneAttribute.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zoneAttribute.get());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("time zone attribute " + zoneAttribute.get() + " names no time zone", e);
        }
    }

    /** @return the rollout's window in {@code zone}, if it has one */
    public static Optional<MaintenanceWindow> window(RolloutSpec spec, ZoneId zone) {
        return spec.window().map(w -> new MaintenanceWindow(w.start(), w.end(), zone));
    }
}
