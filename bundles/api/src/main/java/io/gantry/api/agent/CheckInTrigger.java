package io.gantry.api.agent;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Asks the agent to poll the backend now instead of at its next interval, e.g. when a push
 * transport (MQTT) hears that an action was assigned or cancelled. The trigger carries no
 * instruction: what the agent then does comes from its authenticated poll alone.
 */
@ProviderType
public interface CheckInTrigger {
    /**
     * Starts a poll at once, or right after the one in progress; never blocks and never throws.
     * Triggers that arrive while a poll is pending collapse into that poll.
     */
    void checkInNow();
}
