package io.gantry.backend.failure;

import io.gantry.api.failure.FailureCode;

/**
 * Codes of refused requests that are not security events: malformed bodies, unknown resources,
 * conflicts and the server's own failures. Part of the API (error bodies): never rename one.
 */
public enum RequestError implements FailureCode {
    BAD_REQUEST("The request's parameters or body break the API's rules; the message says which."),
    FORBIDDEN("The client certificate may not do this (the security event names why)."),
    NOT_FOUND("No such resource, or a path outside the device, management and EST trees."),
    METHOD_NOT_ALLOWED("The resource exists but not with this HTTP method (Allow lists those it has)."),
    NOT_ACCEPTABLE("The resource cannot answer in any media type the Accept header allows."),
    UNSUPPORTED_MEDIA_TYPE("The body's Content-Type is not one the resource reads."),
    HTTP_ERROR("Any other refusal by the HTTP layer (JAX-RS), answered with that layer's own status."),
    ACTION_NOT_FOUND("No such action (for this controller)."),
    ARTIFACT_NOT_FOUND("No such artifact of an action of this controller."),
    TARGET_NOT_FOUND("No such target (controller id)."),
    RELEASE_NOT_FOUND("No such release."),
    ROLLOUT_NOT_FOUND("No such rollout."),
    ROLLOUT_STATE_CONFLICT("The rollout's state does not allow this: pause needs RUNNING, resume PAUSED, cancel a rollout not yet finished or cancelled."),
    CERTIFICATE_NOT_FOUND("No issued certificate with that serial."),
    ALERT_NOT_FOUND("No fleet alert with that id."),
    ALERT_RESOLVED("The fleet alert is already resolved: there is nothing left to acknowledge."),
    ACTION_CLOSED("Device feedback for an action that is already closed (or no longer being cancelled)."),
    ACTION_NOT_CANCELABLE("An operator cancels an action that is already finished, failed or cancelled."),
    DUPLICATE_RELEASE("A release with the same name and version is already stored."),
    RELEASE_WITHDRAWN("The release no longer meets its signing threshold under the backend's current trust root (a signer was revoked by a rotation): it is not assigned nor downloaded, and its open actions and rollouts were canceled."),
    NOT_FROZEN("An incident's unfreeze names a key whose freeze paused no rollout that is still paused."),
    MALFORMED_FEEDBACK("A device's feedback body breaks the DDI feedback rules."),
    MALFORMED_CONFIG_DATA("A device's configData body breaks the DDI rules."),
    RANGE_NOT_SATISFIABLE("A download Range beyond the end of the artifact."),
    DOWNLOAD_REPEATED("The device already completed its allowed downloads of this artifact in the current window (default one per hour; Retry-After says when the window ends). Resuming an unfinished download with a Range is not refused."),
    ISSUANCE_LOG_UNREADABLE("The CA's issuance log cannot be read, so the revocation request cannot be checked."),
    INTERNAL_ERROR("The server failed; the message names only an incident id to look up in its log.");

    private final String meaning;

    RequestError(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
