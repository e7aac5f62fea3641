package io.gantry.verifier.internal;

import io.gantry.api.counter.MonotonicCounter;
import io.gantry.api.verify.ReleaseVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the gateway's real {@link SignedReleaseVerifier} for the benchmarks, outside OSGi.
 *
 * <p>This class is in the verifier bundle's package {@code io.gantry.verifier.internal}: a split
 * package, which is fine on the flat classpath of the benchmark jar, so that it can call the
 * package-private constructors of {@link SignedReleaseVerifier}, {@link TrustRootHolder} and
 * {@link AntiRollback} exactly as the {@code @Activate} constructor does, without widening their
 * visibility. Only the counter store differs: an in-memory {@link MonotonicCounter} instead of the
 * file-backed service (it is read, never advanced, during verification).
 */
public final class GatewayVerifierFixture {
    private GatewayVerifierFixture() {
    }

    /**
     * @param trustRoot the provisioned trust-root.json (signatures beside it)
     * @param dataDir stands in for the bundle's data area (rotated trust root, staging)
     * @param minimumThreshold the local policy floor ({@code VerifierConfig.minimumThreshold})
     * @return the verifier the gateway's component would be
     */
    public static ReleaseVerifier verifier(Path trustRoot, Path dataDir, int minimumThreshold) throws IOException {
        return new SignedReleaseVerifier(
                new TrustRootHolder(trustRoot, dataDir.resolve("trust-root/trust-root.json"), minimumThreshold),
                new AntiRollback(new MemoryCounter(), Clock.systemUTC()), dataDir.resolve("staging"));
    }

    /** Counters in memory; verification only reads them. */
    private static final class MemoryCounter implements MonotonicCounter {
        private final Map<String, Long> values = new HashMap<>();

        @Override
        public synchronized long read(String name) {
            return values.getOrDefault(name, 0L);
        }

        @Override
        public synchronized void advance(String name, long value) {
            if (value < read(name)) {
                throw new IllegalArgumentException("counter " + name + " cannot decrease");
            }
            values.put(name, value);
        }

        @Override
        public String mechanism() {
            return "memory (benchmark)";
        }
    }
}
