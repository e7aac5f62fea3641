package io.gantry.metrics.internal;

import io.gantry.api.metrics.GatewayCounter;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The counters in memory: one adder per counter and label value. Bounded: a label value must be a
 * short word ({@code [A-Za-z0-9_.-]}, at most 64 characters) and each counter keeps at most
 * {@link GatewayCounter#MAX_LABELS} values; anything else is counted under {@code other}, so no
 * caller can grow the table or the exposition. Counts start at zero with each start of the bundle.
 */
final class CounterTable {
    static final String OTHER = "other";
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private final Map<GatewayCounter, ConcurrentHashMap<String, LongAdder>> counts = new EnumMap<>(GatewayCounter.class);

    CounterTable() {
        for (GatewayCounter c : GatewayCounter.values()) {
            counts.put(c, new ConcurrentHashMap<>());
        }
    }

    void add(GatewayCounter counter, String label, long amount) {
        if (counter == null || amount <= 0) {
            return;
        }
        String key = counter.labelName() == null ? "" : label == null || !WORD.matcher(label).matches() ? OTHER : label;
        ConcurrentHashMap<String, LongAdder> values = counts.get(counter);
        LongAdder adder = values.get(key);
        if (adder == null) {
            // The cap is checked without a lock: a race may let a value or two past it, never an unbounded number.
            adder = values.size() >= GatewayCounter.MAX_LABELS && !key.equals(OTHER)
                    ? values.computeIfAbsent(OTHER, k -> new LongAdder())
                    : values.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.add(amount);
    }

    /** @return the label values of {@code counter} and their counts, sorted by label value */
    Map<String, Long> snapshot(GatewayCounter counter) {
        Map<String, Long> out = new TreeMap<>();
        counts.get(counter).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
