package io.gantry.provision;

import io.gantry.coordinator.launch.CoordinatorSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a gateway home is configured with, checked before anything is written.
 *
 * @param backend the backend's base URL (https)
 * @param tenant the hawkBit tenant
 * @param pollSeconds how often the agent polls when the backend names no other delay
 * @param deviceIds ids of the devices behind the gateway that the example plugin drives; may be empty
 * @param minimumThreshold the verifier's floor on release signature thresholds, {@code null} for its default
 * @param coordinator update coordinator settings ({@code conf/coordinator.properties}), checked by {@link CoordinatorSettings}
 */
public record GatewaySettings(URI backend, String tenant, int pollSeconds, List<String> deviceIds, Integer minimumThreshold,
        Map<String, String> coordinator) {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Copies the lists; {@code null} lists and maps become empty. */
    public GatewaySettings {
        deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        coordinator = coordinator == null ? Map.of() : Map.copyOf(new TreeMap<>(coordinator));
    }

    /**
     * @throws ProvisionException {@link ProvisionError#INVALID_SETTING} naming the first setting that is wrong
     */
    public void validate() throws ProvisionException {
        if (backend == null || !"https".equals(backend.getScheme()) || backend.getHost() == null
                || backend.getQuery() != null || backend.getFragment() != null) {
            throw invalid("--backend must be an https URL with a host and no query, e.g. https://backend.example:8443, not " + backend);
        }
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw invalid("--tenant must be 1-64 letters, digits, '_' or '-', not " + tenant);
        }
        if (pollSeconds < 1 || pollSeconds > 86_400) {
            throw invalid("--poll-seconds must be within 1..86400, not " + pollSeconds);
        }
        Set<String> seen = new HashSet<>();
        for (String id : deviceIds) {
            if (!DEVICE_ID.matcher(id).matches()) {
                throw invalid("--device-id must be 1-64 letters, digits, '.', '_' or '-', not " + id);
            }
            if (!seen.add(id)) {
                throw invalid("--device-id " + id + " is given twice");
            }
        }
        if (minimumThreshold != null && (minimumThreshold < 1 || minimumThreshold > 16)) {
            throw invalid("--minimum-threshold must be within 1..16, not " + minimumThreshold);
        }
        try {
            Path probe = Files.createTempFile("coordinator", ".properties");
            try {
                Files.writeString(probe, coordinatorProperties());
                CoordinatorSettings.load(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IllegalArgumentException e) {
            throw invalid("--coordinator: " + e.getMessage().replaceFirst("^.*?\\.properties: ", ""));
        } catch (IOException e) {
            throw new ProvisionException(ProvisionError.WRITE_FAILED, "cannot check the coordinator settings: " + e.getMessage(), e);
        }
    }

    /** @return the coordinator settings as the lines of {@code coordinator.properties} */
    public String coordinatorProperties() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(coordinator).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static ProvisionException invalid(String message) {
        return new ProvisionException(ProvisionError.INVALID_SETTING, message);
    }
}
