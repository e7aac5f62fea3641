package io.gantry.api.agent;

import java.util.concurrent.CompletionStage;
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

    /**
     * As {@link #checkInNow()}, and tells when the backend answered that poll, so a transport can
     * report how soon a push took effect. Never blocks.
     *
     * @return completes once the backend answered a poll that started after this call (before the
     *     agent acts on the answer); completes exceptionally with the poll's failure, or with a
     *     {@link java.util.concurrent.CancellationException} when the agent stops first
     * @since 2.2
     */
    CompletionStage<Void> checkInNowAnswered();
}
