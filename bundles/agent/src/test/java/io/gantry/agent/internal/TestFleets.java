package io.gantry.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Device fleet updates for tests, each with its floors in a new temporary folder. */
final class TestFleets {
    private TestFleets() {
    }

    static DeviceFleetUpdate fleet() {
        return fleet(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    static DeviceFleetUpdate fleet(Duration listTime, Duration updateTime) {
        try {
            Path dir = Files.createTempDirectory("gantry-fleet-");
            dir.toFile().deleteOnExit();
            return new DeviceFleetUpdate(new DeviceLedger(dir.resolve("floors.properties")),
                    new TrustRootChain(dir.resolve("trust-roots")), new PayloadCache(PayloadCache.DEFAULT_MAX_ENTRY, PayloadCache.DEFAULT_MAX_TOTAL), listTime, updateTime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
