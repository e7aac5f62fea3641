package io.gantry.verifier.internal;

import io.gantry.api.counter.MonotonicCounter;
import java.util.HashMap;
import java.util.Map;

/** In-memory counter for unit tests (the file-backed one lives in the rollback bundle). */
final class MapCounter implements MonotonicCounter {
    final Map<String, Long> values = new HashMap<>();

    @Override
    public long read(String name) {
        return values.getOrDefault(name, 0L);
    }

    @Override
    public void advance(String name, long value) {
        if (value < read(name)) {
            throw new IllegalArgumentException("decrease");
        }
        values.put(name, value);
    }

    @Override
    public String mechanism() {
        return "memory (test)";
    }
}
