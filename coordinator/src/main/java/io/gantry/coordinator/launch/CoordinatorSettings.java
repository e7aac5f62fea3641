package io.gantry.coordinator.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

/**
 * How the coordinator judges a new bundle set, from {@code <home>/conf/coordinator.properties}
 * (every key optional):
 * <ul>
 * <li>{@code healthDeadlineSeconds} (30): how long the new set has to pass every gate;
 * <li>{@code soakSeconds} (60): how long after the gates passed the set still runs on trial,
 *     gates asked again every {@code soakCheckSeconds} (10), before it is committed;
 * <li>{@code maxTrialStarts} (2): starts of the gateway allowed while a set is on trial; one more
 *     and the previous set is restored before any bundle starts (the boot counter);
 * <li>{@code requiredGates} ({@code components,backend}): gates that must be registered and pass.
 * </ul>
 *
 * @param pauseAt test hook only, from the system property {@code gantry.coordinator.pauseAt}: the
 *     coordinator blocks once it has journaled this step, so a test can kill the JVM there
 */
public record CoordinatorSettings(Duration healthDeadline, Duration soak, Duration soakCheck, int maxTrialStarts,
        Set<String> requiredGates, String pauseAt) {

    /** The defaults above. */
    public static CoordinatorSettings defaults() {
        return new CoordinatorSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(10), 2,
                Set.of("components", "backend"), System.getProperty("gantry.coordinator.pauseAt"));
    }

    /**
     * Reads the file if it exists.
     *
     * @throws IllegalArgumentException naming the key and value that are out of range or unknown
     */
    public static CoordinatorSettings load(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        Set<String> known = Set.of("healthDeadlineSeconds", "soakSeconds", "soakCheckSeconds", "maxTrialStarts", "requiredGates");
        for (String key : p.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key " + key + " (known: " + known + ")");
            }
        }
        CoordinatorSettings d = defaults();
        Set<String> gates = new LinkedHashSet<>();
        Arrays.stream(p.getProperty("requiredGates", String.join(",", d.requiredGates())).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).forEach(gates::add);
        if (pausePoint(d.pauseAt()) == null && d.pauseAt() != null) {
            throw new IllegalArgumentException("gantry.coordinator.pauseAt is not a step: " + d.pauseAt());
        }
        return new CoordinatorSettings(
                Duration.ofSeconds(number(file, p, "healthDeadlineSeconds", d.healthDeadline().toSeconds(), 1, 3600)),
                Duration.ofSeconds(number(file, p, "soakSeconds", d.soak().toSeconds(), 0, 7 * 86400)),
                Duration.ofSeconds(number(file, p, "soakCheckSeconds", d.soakCheck().toSeconds(), 1, 3600)),
                (int) number(file, p, "maxTrialStarts", d.maxTrialStarts(), 0, 100), Set.copyOf(gates), d.pauseAt());
    }

    TxState pausePoint() {
        return pausePoint(pauseAt);
    }

    private static TxState pausePoint(String name) {
        if (name == null) {
            return null;
        }
        try {
            return TxState.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long number(Path file, Properties p, String key, long dflt, long min, long max) {
        String v = p.getProperty(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(file + ": " + key + "=" + v + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + "=" + v + " is not a whole number", e);
        }
    }
}
