package io.gantry.backend.mqtt;

import io.gantry.backend.rollout.CommittedActionListener;
import java.time.Clock;
import java.util.Objects;

/**
 * Pushes {@code checkIn} to a device a rollout started and {@code cancel} to one whose action a
 * rollout cancel moved to CANCELING, after the scheduler's or the cancel's transaction committed:
 * the same commands as {@link PushOnChange} sends for an operator's own assignment and cancel.
 */
public final class PushOnRolloutChange implements CommittedActionListener {
    private final CommandPush push;
    private final Clock clock;

    /**
     * @param push where commands go
     * @param clock stamps each command
     */
    public PushOnRolloutChange(CommandPush push, Clock clock) {
        this.push = Objects.requireNonNull(push, "push");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void started(String controllerId, long actionId) {
        send(DeviceCommand.CHECK_IN, controllerId, actionId);
    }

    @Override
    public void canceling(String controllerId, long actionId) {
        send(DeviceCommand.CANCEL, controllerId, actionId);
    }

    private void send(String type, String controllerId, long actionId) {
        // A controller id that cannot be a topic level gets no push; it still learns at its next poll.
        if (MqttTopics.usableId(controllerId)) {
            push.push(new DeviceCommand(type, controllerId, actionId, clock.instant()));
        }
    }
}
