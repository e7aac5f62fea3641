package io.gantry.backend.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last status each device published over MQTT, in memory (a status is a hint for operators,
 * never a fact the backend acts on: actions change only through the device API), and one log line
 * per message. Payloads longer than {@value #MAX_PAYLOAD} bytes are cut.
 */
public final class DeviceStatusBoard {
    /** Largest payload kept, in bytes. */
    public static final int MAX_PAYLOAD = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(DeviceStatusBoard.class);
    private final Clock clock;
    private final Map<String, DeviceStatus> last = new ConcurrentHashMap<>();

    /** @param clock stamps each status when it arrives */
    public DeviceStatusBoard(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A status message as received.
     *
     * @param topic where it was published
     * @param payload its text (UTF-8, cut at {@link #MAX_PAYLOAD} bytes)
     * @param receivedAt when the broker passed it on
     */
    public record DeviceStatus(String topic, String payload, Instant receivedAt) {
    }

    /** Records {@code payload} published by {@code controllerId} on {@code topic}. */
    void record(String controllerId, String topic, byte[] payload) {
        int n = Math.min(payload.length, MAX_PAYLOAD);
        String text = new String(payload, 0, n, StandardCharsets.UTF_8);
        last.put(controllerId, new DeviceStatus(topic, text, clock.instant()));
        synchronized (this) {
            notifyAll();
        }
        LOG.info("MQTT status from {} on {}: {}", controllerId, topic, text);
    }

    /**
     * Waits until the last status of {@code controllerId} was published on {@code topic}.
     *
     * @return that status, or empty if none arrived within {@code timeout}
     */
    public Optional<DeviceStatus> await(String controllerId, String topic, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                DeviceStatus s = last.get(controllerId);
                if (s != null && s.topic().equals(topic)) {
                    return Optional.of(s);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** @return the last status {@code controllerId} published, if any since the backend started */
    public Optional<DeviceStatus> last(String controllerId) {
        return Optional.ofNullable(last.get(controllerId));
    }
}
