package io.gantry.agent.internal;

import java.util.List;

/**
 * The cause attached to a firmware update that failed on some or all devices: one line per device
 * ({@link DeviceLine}), which the poller puts in the final DDI feedback.
 */
final class DeviceFleetException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> lines;

    DeviceFleetException(String message, List<String> lines, Throwable cause) {
        super(message, cause);
        this.lines = List.copyOf(lines);
    }

    /** @return the per-device lines, failed devices first */
    List<String> lines() {
        return lines;
    }

    /** @return the per-device lines of the first {@link DeviceFleetException} in the cause chain, or none */
    static List<String> linesOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DeviceFleetException d) {
                return d.lines();
            }
        }
        return List.of();
    }
}
