package io.gantry.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where bundles count what happens on the gateway. Calls are cheap (an in-memory increment) and
 * never throw; a bundle holds the service as an optional reference and counts nothing without it.
 */
@ProviderType
public interface MetricsSink {
    /**
     * Adds {@code amount} to {@code counter} under {@code label}.
     *
     * @param label the label's value (a word or a failure-code name); ignored for a counter without
     *     a label; a value that is not a short word, or one past {@link GatewayCounter#MAX_LABELS},
     *     is counted as {@code other}
     * @param amount how much to add; zero or less adds nothing
     */
    void add(GatewayCounter counter, String label, long amount);

    /** Adds one to {@code counter} under {@code label}. */
    default void increment(GatewayCounter counter, String label) {
        add(counter, label, 1);
    }
}
