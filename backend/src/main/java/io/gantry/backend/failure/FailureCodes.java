package io.gantry.backend.failure;

import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.failure.FailureCode;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.tls.BackendChainCode;
import io.gantry.api.verify.RejectionCode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every family of failure codes, gateway and server, in the order of docs/failure-codes.md; and
 * the lookup of a code by its stable name (names are unique across families, which
 * {@code FailureCodeTableTest} checks with the table).
 */
public final class FailureCodes {
    /**
     * One enum of codes.
     *
     * @param name the family's name in the table
     * @param raisedBy who raises its codes
     * @param type the enum
     */
    public record Family(String name, String raisedBy, Class<? extends FailureCode> type) {
        /** @return the family's codes in declaration order */
        public List<FailureCode> codes() {
            return List.of(type.getEnumConstants());
        }
    }

    /** The families, gateway first, then server. */
    public static final List<Family> FAMILIES = List.of(
            new Family("release rejection", "verifier (gateway), backend on upload", RejectionCode.class),
            new Family("install", "rollback bundle and update coordinator (gateway)", InstallFailureCode.class),
            new Family("device", "vendor plugin (gateway)", DeviceFailureCode.class),
            new Family("update", "update agent (gateway)", UpdateFailureCode.class),
            new Family("renewal", "keystore and renewal scheduler (gateway)", RenewalErrorCode.class),
            new Family("backend chain", "keystore TLS policy check (gateway)", BackendChainCode.class),
            new Family("security event", "backend", SecurityEventCode.class),
            new Family("EST refusal", "backend EST server", EstRefusal.class),
            new Family("request error", "backend", RequestError.class),
            new Family("database", "backend at start", DatabaseFailure.class));

    private static final Map<String, FailureCode> BY_NAME = byName();

    private FailureCodes() {
    }

    /**
     * @param name a stable code name
     * @return the code of that name in any family, or empty
     */
    public static Optional<FailureCode> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * @param name a stable code name, e.g. from configuration
     * @return the code of that name
     * @throws IllegalArgumentException if no family has a code of that name
     */
    public static FailureCode require(String name) {
        return named(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown failure code " + name + " (docs/failure-codes.md lists them)"));
    }

    private static Map<String, FailureCode> byName() {
        Map<String, FailureCode> all = new LinkedHashMap<>();
        FAMILIES.stream().flatMap(f -> Arrays.stream(f.type().getEnumConstants())).forEach(c -> {
            if (all.putIfAbsent(c.name(), c) != null) {
                throw new IllegalStateException("failure code " + c.name() + " is defined twice");
            }
        });
        return Map.copyOf(all);
    }
}
