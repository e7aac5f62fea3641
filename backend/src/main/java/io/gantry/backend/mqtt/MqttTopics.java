package io.gantry.backend.mqtt;

import java.util.regex.Pattern;

/**
 * The topic tree (docs/mqtt.md): {@code gantry/v1/devices/<controllerId>/cmd/<type>} carries the
 * backend's commands to one device, {@code gantry/v1/devices/<controllerId>/status/<kind>} what
 * the device publishes, {@code gantry/v1/fleet/cmd/<type>} commands to every device (the retained
 * {@code trustRoot}), {@code gantry/v1/fleet/alerts} the fleet alerts for operators. A device may subscribe only below its own {@code cmd/} and the fleet's, and
 * publish only below its own {@code status/}.
 */
public final class MqttTopics {
    /** Root of every device topic. */
    public static final String DEVICES = "gantry/v1/devices/";
    /** Commands to the whole fleet. */
    public static final String FLEET_COMMANDS = "gantry/v1/fleet/cmd/";
    /** Fleet alert changes (docs/operations.md), published by the backend; operator certificates may subscribe. */
    public static final String FLEET_ALERTS = "gantry/v1/fleet/alerts";
    /** Controller ids usable in a topic: no wildcard, separator or control characters. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private MqttTopics() {
    }

    /** @return whether {@code controllerId} can be used as a topic level (no {@code +}, {@code #} or {@code /}) */
    public static boolean usableId(String controllerId) {
        return controllerId != null && SAFE_ID.matcher(controllerId).matches();
    }

    /** @return the filter a device subscribes to for its commands */
    public static String commandFilter(String controllerId) {
        return DEVICES + controllerId + "/cmd/#";
    }

    /** @return the filter every device may subscribe to for fleet-wide commands */
    public static String fleetCommandFilter() {
        return FLEET_COMMANDS + "#";
    }

    /** @return the fleet topic of a command of {@code type} */
    public static String fleetCommand(String type) {
        return FLEET_COMMANDS + type;
    }

    /** @return the filter a device may publish below */
    public static String statusFilter(String controllerId) {
        return DEVICES + controllerId + "/status/#";
    }

    /** @return the topic a command of {@code type} is published on */
    public static String command(String controllerId, String type) {
        return DEVICES + controllerId + "/cmd/" + type;
    }

    /**
     * @return the controller id of a status topic ({@code gantry/v1/devices/<id>/status/...}),
     *     or {@code null} for any other topic
     */
    public static String statusOwner(String topic) {
        if (topic == null || !topic.startsWith(DEVICES)) {
            return null;
        }
        String rest = topic.substring(DEVICES.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || !rest.startsWith("status/", slash + 1)) {
            return null;
        }
        String id = rest.substring(0, slash);
        return usableId(id) ? id : null;
    }
}
