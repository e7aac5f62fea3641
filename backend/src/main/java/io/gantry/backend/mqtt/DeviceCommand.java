package io.gantry.backend.mqtt;

import java.time.Instant;
import java.util.Objects;

/**
 * A command to one device, published as JSON on {@code .../cmd/<type>}:
 * {@code {"type":"checkIn","actionId":12,"issuedAt":"..."}}. A command only tells the device to
 * ask: whatever it then does comes from its authenticated poll, never from the message.
 *
 * @param type {@link #CHECK_IN}, {@link #CANCEL} or {@link #TRUST_ROOT}
 * @param controllerId the device; {@code null} for {@code trustRoot}, which goes to the whole fleet
 * @param id the action (checkIn, cancel) or release (trustRoot) the command is about
 * @param issuedAt when the backend issued it
 */
public record DeviceCommand(String type, String controllerId, long id, Instant issuedAt) {
    /** Poll now: an action was assigned. */
    public static final String CHECK_IN = "checkIn";
    /** Poll now: an action is being cancelled. */
    public static final String CANCEL = "cancel";
    /**
     * Poll now: a new trust-root release was published; sent once to the fleet topic and retained,
     * so a device that connects later sees it.
     */
    public static final String TRUST_ROOT = "trustRoot";

    /** @throws IllegalArgumentException for an unknown type or an id unusable as a topic level */
    public DeviceCommand {
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (!CHECK_IN.equals(type) && !CANCEL.equals(type) && !TRUST_ROOT.equals(type)) {
            throw new IllegalArgumentException("unknown command type " + type);
        }
        if (TRUST_ROOT.equals(type) ? controllerId != null : !MqttTopics.usableId(controllerId)) {
            throw new IllegalArgumentException("controller id not usable in a topic: " + controllerId);
        }
    }

    /** @return the topic it is published on */
    public String topic() {
        return controllerId == null ? MqttTopics.fleetCommand(type) : MqttTopics.command(controllerId, type);
    }

    /** @return whether the broker keeps it for devices that subscribe later */
    public boolean retained() {
        return TRUST_ROOT.equals(type);
    }

    /** @return a {@code trustRoot} command for the fleet about release {@code releaseId} */
    public static DeviceCommand trustRoot(long releaseId, Instant issuedAt) {
        return new DeviceCommand(TRUST_ROOT, null, releaseId, issuedAt);
    }

    /** @return the JSON payload */
    public String json() {
        String idField = TRUST_ROOT.equals(type) ? "releaseId" : "actionId";
        return "{\"type\":\"" + type + "\",\"" + idField + "\":" + id + ",\"issuedAt\":\"" + issuedAt + "\"}";
    }
}
