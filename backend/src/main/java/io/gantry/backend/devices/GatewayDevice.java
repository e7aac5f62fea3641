package io.gantry.backend.devices;

import java.time.Instant;

/**
 * A device behind a gateway, as the gateway last reported it.
 *
 * @param deviceId the device's id (unique per gateway and type)
 * @param type its device type
 * @param runningVersion the firmware it runs
 * @param lastRelease the release version last offered to it
 * @param lastResult UPDATING, UPDATED, CURRENT, FLOOR or FAILED
 * @param lastCode the failure code of the last result, or null
 * @param lastMessage the gateway's words on it, or null
 * @param lastActionId the action whose feedback said so
 * @param updatedAt when the backend recorded it
 */
public record GatewayDevice(String deviceId, String type, String runningVersion, String lastRelease, String lastResult,
        String lastCode, String lastMessage, long lastActionId, Instant updatedAt) {
}
