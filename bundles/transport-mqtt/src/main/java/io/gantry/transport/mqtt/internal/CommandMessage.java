package io.gantry.transport.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code type} of a backend command ({@code {"type":"checkIn",...}}). Every known type
 * means the same to the gateway, poll now; anything else is ignored. No other field is trusted
 * or needed: the poll that follows is authenticated and carries the facts.
 */
final class CommandMessage {
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"(checkIn|cancel|trustRoot)\"");
    private static final int MAX_BYTES = 4096;

    private CommandMessage() {
    }

    private static final Pattern ID = Pattern.compile("\"(actionId|releaseId)\"\\s*:\\s*([0-9]{1,18})");

    /**
     * @return {@code "actionId":N} or {@code "releaseId":N} as the command named it, echoed in the
     *     status the gateway reports (never acted on), or {@code ""} when it names none
     */
    static String idField(byte[] payload) {
        if (payload == null || payload.length > MAX_BYTES) {
            return "";
        }
        Matcher m = ID.matcher(new String(payload, StandardCharsets.UTF_8));
        return m.find() ? "\"" + m.group(1) + "\":" + Long.parseLong(m.group(2)) : "";
    }

    /** @return the command type, or {@code null} for a payload that names none it knows */
    static String typeOf(byte[] payload) {
        if (payload == null || payload.length > MAX_BYTES) {
            return null;
        }
        Matcher m = TYPE.matcher(new String(payload, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }
}
