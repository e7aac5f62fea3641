package io.gantry.api.agent;

import io.gantry.api.failure.FailureCode;

/**
 * The update agent's own stable codes: retrieval failures and what no installer decides. An
 * {@link UpdateFailedException} carries one of these or the code of the failure it passes on.
 */
public enum UpdateFailureCode implements FailureCode {
    DOWNLOAD_FAILED("The release or one of its payloads could not be fetched (network, HTTP status, size cap)."),
    DOWNLOAD_DEFERRED("The backend deferred the download (429, download quota): the action stays open and is retried after Retry-After."),
    SLOW_RETRIEVAL("A download stalled or took longer than its size allows (slow-retrieval attack or a bad link)."),
    NO_DEVICE("A firmware release found its vendor plugin but no device of that type attached."),
    PLUGIN_FAILED("The vendor plugin threw instead of answering; the gateway and the other plugins go on."),
    PLUGIN_TIMEOUT("The vendor plugin did not answer within its time (or is still stuck in an earlier call); the gateway goes on."),
    ROLLBACK_FLOOR_NOT_RECORDED("Warning in an update report: the update is live but its anti-rollback floor could not be stored.");

    private final String meaning;

    UpdateFailureCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
