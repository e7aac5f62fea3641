package io.gantry.agent.internal;

import io.gantry.api.failure.FailureCode;
import java.util.regex.Pattern;

/**
 * One device's state in a DDI feedback detail line (docs/devices.md, "Device lines"):
 * {@code device=<id> type=<type> result=<RESULT> version=<running> release=<offered>[ code=<CODE>][ ; <text>]}.
 * The backend reads these lines into its model of the devices behind a gateway; they stay plain
 * strings, so a stock hawkBit server just shows them.
 *
 * @param deviceId the device behind the gateway
 * @param type its device type
 * @param result what happened
 * @param version the firmware the device runs after this step ({@code -} if unknown)
 * @param release the release version offered
 * @param code the failure code, or null
 * @param text free text, or null
 */
record DeviceLine(String deviceId, String type, Result result, String version, String release, FailureCode code,
        String text) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:+-]{1,64}");

    /** What a step did to one device. */
    enum Result {
        /** The update of this device starts (progress). */
        UPDATING,
        /** The device booted the release and confirmed it. */
        UPDATED,
        /** The device already ran the release version: not flashed again. */
        CURRENT,
        /** The device confirmed a higher version or counter before: the release is not offered to it. */
        FLOOR,
        /** The device failed the update and runs {@code version}; retried at the next attempt. */
        FAILED
    }

    /** @return the line, tokens that could break the format replaced by {@code -} */
    String format() {
        StringBuilder b = new StringBuilder("device=").append(token(deviceId)).append(" type=").append(token(type))
                .append(" result=").append(result).append(" version=").append(token(version))
                .append(" release=").append(token(release));
        if (code != null) {
            b.append(" code=").append(code);
        }
        if (text != null && !text.isBlank()) {
            b.append(" ; ").append(text.replace('\n', ' ').replace('\r', ' '));
        }
        return b.toString();
    }

    private static String token(String s) {
        return s != null && TOKEN.matcher(s).matches() ? s : "-";
    }

    @Override
    public String toString() {
        return format();
    }
}
