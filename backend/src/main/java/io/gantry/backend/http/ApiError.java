package io.gantry.backend.http;

/**
 * The body of every error response: {@code {"code":"STABLE_CODE","message":"words"}}. The code is
 * stable and meant for programs; the message is for people and may change.
 *
 * @param code the name of a stable {@link io.gantry.api.failure.FailureCode} (docs/failure-codes.md)
 * @param message what went wrong, never a stack trace
 */
public record ApiError(String code, String message) {
}
