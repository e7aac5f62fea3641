package io.gantry.backend.db;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which targets a fleet search selects: every given condition must hold; none selects all.
 *
 * @param deviceType the device's {@code deviceType} attribute must equal this
 * @param attributes attributes (configData) that must equal the given values
 * @param tags tags the target must all carry
 * @param release the name of a release installed now (its newest finished action of that name)
 * @param version the version of a release installed now; with {@code release}, of that release
 * @param lastSeenBefore last poll strictly before this (a target never seen does not match)
 * @param lastSeenAfter last poll at or after this
 * @param certExpiresBefore the newest good device certificate for its id expires strictly before this
 */
public record FleetCriteria(Optional<String> deviceType, Map<String, String> attributes, Set<String> tags,
        Optional<String> release, Optional<String> version, Optional<Instant> lastSeenBefore,
        Optional<Instant> lastSeenAfter, Optional<Instant> certExpiresBefore) {
    /** The attribute a device reports its type in (as rollout filters read it). */
    public static final String DEVICE_TYPE_ATTRIBUTE = "deviceType";

    /** Copies the collections; @throws NullPointerException for a missing part */
    public FleetCriteria {
        Objects.requireNonNull(deviceType, "deviceType");
        attributes = Map.copyOf(attributes);
        tags = Set.copyOf(tags);
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(lastSeenBefore, "lastSeenBefore");
        Objects.requireNonNull(lastSeenAfter, "lastSeenAfter");
        Objects.requireNonNull(certExpiresBefore, "certExpiresBefore");
    }
}
