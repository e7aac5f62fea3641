package io.gantry.backend.rollout;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which targets a rollout selects: all conditions must hold; an empty filter selects every target.
 *
 * @param deviceType the value of the device's {@value #DEVICE_TYPE_ATTRIBUTE} attribute, if required
 * @param attributes attributes (configData) that must equal the given values
 * @param tags tags the target must all carry
 */
public record TargetFilter(Optional<String> deviceType, Map<String, String> attributes, Set<String> tags) {
    /** The attribute a device reports its type in. */
    public static final String DEVICE_TYPE_ATTRIBUTE = "deviceType";

    /** Copies the collections. */
    public TargetFilter {
        Objects.requireNonNull(deviceType, "deviceType");
        attributes = Map.copyOf(attributes);
        tags = Set.copyOf(tags);
    }

    /** @return the attribute conditions, the device type among them */
    public Map<String, String> attributeConditions() {
        if (deviceType.isEmpty()) {
            return attributes;
        }
        java.util.Map<String, String> all = new java.util.TreeMap<>(attributes);
        all.put(DEVICE_TYPE_ATTRIBUTE, deviceType.get());
        return all;
    }
}
