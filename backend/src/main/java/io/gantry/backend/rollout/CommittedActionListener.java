package io.gantry.backend.rollout;

/**
 * Told about the actions a rollout started or moved to CANCELING, once the transaction that did
 * it has committed, so whatever it triggers (an MQTT push that makes the device poll at once)
 * sees the change. Called on the scheduler's or the request's thread: it must return quickly and
 * never throw; a lost notice costs only latency, the device learns at its next poll.
 */
public interface CommittedActionListener {
    /** Tells nothing (MQTT off, tests). */
    CommittedActionListener NONE = new CommittedActionListener() {
        @Override
        public void started(String controllerId, long actionId) {
        }

        @Override
        public void canceling(String controllerId, long actionId) {
        }
    };

    /** The scheduler started {@code controllerId} as action {@code actionId} (committed). */
    void started(String controllerId, long actionId);

    /** A rollout cancel moved action {@code actionId} of {@code controllerId} to CANCELING (committed). */
    void canceling(String controllerId, long actionId);
}
