package io.gantry.backend.devices;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One device's state as a gateway reports it in a DDI feedback detail line (docs/devices.md,
 * "Device lines"):
 * {@code device=<id> type=<type> result=<RESULT> version=<running> release=<offered>[ code=<CODE>][ ; <text>]}.
 * Details stay plain strings (hawkBit-compatible): a line of any other shape is no device line and
 * is only kept in the action history.
 *
 * @param deviceId the device behind the gateway
 * @param type its device type
 * @param result UPDATING, UPDATED, CURRENT, FLOOR or FAILED
 * @param version the firmware the device runs ({@code -} if unknown)
 * @param release the release version offered
 * @param code the failure code, or null
 * @param text the free text, or null
 */
public record DeviceLine(String deviceId, String type, String result, String version, String release, String code,
        String text) {
    /** The results a gateway reports. */
    public static final Set<String> RESULTS = Set.of("UPDATING", "UPDATED", "CURRENT", "FLOOR", "FAILED");
    private static final String TOKEN = "([A-Za-z0-9._:+-]{1,64})";
    private static final Pattern LINE = Pattern.compile("device=" + TOKEN + " type=" + TOKEN + " result=([A-Z_]{1,16})"
            + " version=" + TOKEN + " release=" + TOKEN + "(?: code=([A-Z][A-Z0-9_]{0,63}))?(?: ; (.*))?");

    /** @return the device line {@code detail} holds, or empty if it is none */
    public static Optional<DeviceLine> parse(String detail) {
        Matcher m = LINE.matcher(detail);
        if (!m.matches() || !RESULTS.contains(m.group(3))) {
            return Optional.empty();
        }
        return Optional.of(new DeviceLine(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7)));
    }
}
