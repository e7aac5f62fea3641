package io.gantry.backend.failure;

import io.gantry.api.failure.FailureCode;
import io.gantry.api.verify.RejectionCode;
import java.util.OptionalInt;

/**
 * The one table of HTTP statuses: every code the server answers with gets its status here, and
 * nowhere else. Codes the server never answers with (a device's renewal or install failure, a
 * refused handshake, an audit record) have none. The switches name every value, so a new code
 * does not compile until it has its row.
 */
public final class FailureStatus {
    private FailureStatus() {
    }

    /**
     * @param code any failure code
     * @return the HTTP status the server answers {@code code} with, or empty if it never does
     */
    public static OptionalInt of(FailureCode code) {
        if (code instanceof RejectionCode) {
            return OptionalInt.of(422); // the release upload checks (docs/backend-api.md)
        }
        if (code instanceof RequestError r) {
            return of(r);
        }
        if (code instanceof EstRefusal e) {
            return OptionalInt.of(of(e));
        }
        if (code instanceof SecurityEventCode s) {
            return of(s);
        }
        return OptionalInt.empty();
    }

    /**
     * @param code a code the server answers with
     * @return its HTTP status
     * @throws IllegalArgumentException if the server never answers with {@code code}
     */
    public static int require(FailureCode code) {
        return of(code).orElseThrow(() -> new IllegalArgumentException(code + " is never an HTTP answer"));
    }

    /**
     * @param status an error status the HTTP layer (JAX-RS) chose itself
     * @return the generic code for it: {@link RequestError#HTTP_ERROR} for a status without one
     */
    public static RequestError genericFor(int status) {
        for (RequestError r : new RequestError[] {RequestError.BAD_REQUEST, RequestError.FORBIDDEN, RequestError.NOT_FOUND,
                RequestError.METHOD_NOT_ALLOWED, RequestError.NOT_ACCEPTABLE, RequestError.UNSUPPORTED_MEDIA_TYPE,
                RequestError.INTERNAL_ERROR}) {
            if (of(r).orElse(-1) == status) {
                return r;
            }
        }
        return RequestError.HTTP_ERROR;
    }

    private static OptionalInt of(RequestError code) {
        int status = switch (code) {
            case BAD_REQUEST, MALFORMED_FEEDBACK, MALFORMED_CONFIG_DATA -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND, ACTION_NOT_FOUND, ARTIFACT_NOT_FOUND, TARGET_NOT_FOUND, RELEASE_NOT_FOUND,
                    CERTIFICATE_NOT_FOUND, ROLLOUT_NOT_FOUND, ALERT_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case NOT_ACCEPTABLE -> 406;
            case DUPLICATE_RELEASE, ACTION_NOT_CANCELABLE, ROLLOUT_STATE_CONFLICT, RELEASE_WITHDRAWN, NOT_FROZEN,
                    ALERT_RESOLVED -> 409;
            case ACTION_CLOSED -> 410;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RANGE_NOT_SATISFIABLE -> 416;
            case DOWNLOAD_REPEATED -> 429;
            case INTERNAL_ERROR -> 500;
            case ISSUANCE_LOG_UNREADABLE -> 503;
            case HTTP_ERROR -> 0; // the HTTP layer's own status; never chosen here
        };
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    private static int of(EstRefusal code) {
        return switch (code) {
            case MALFORMED_CSR, CSR_SIGNATURE_INVALID, KEY_TYPE_NOT_ALLOWED -> 400;
            case CSR_SUBJECT_MISMATCH, FACTORY_CREDENTIAL_USED, NOT_A_FACTORY_CREDENTIAL, NOT_A_DEVICE -> 403;
            case CSR_TOO_LARGE -> 413;
            case REENROLL_LIMIT -> 429;
        };
    }

    private static OptionalInt of(SecurityEventCode code) {
        return switch (code) {
            case NO_ROLE, WRONG_ROLE, IDENTITY_MISMATCH, CROSS_SITE_REQUEST, ROLE_REQUIRED, ROLE_NOT_DECLARED, INTERMEDIATE_RETIRED, CERT_REVOKED, CERT_UNKNOWN,
                    CERT_STATUS_UNAVAILABLE -> OptionalInt.of(403);
            case PAYLOAD_TOO_LARGE -> OptionalInt.of(413);
            case DOWNLOAD_LIMIT -> OptionalInt.of(429);
            case TLS_HANDSHAKE_FAILED, CERTIFICATE_REVOKED, CERTIFICATE_SUPERSEDED, CERT_RENEWAL_ESCALATED, CERT_RENEWAL_EMERGENCY,
                    CERT_RENEWAL_EXPIRED, ROLLOUT_PAUSED, TRUST_ROOT_ACTIVATED, RELEASE_WITHDRAWN_BY_ROTATION, INCIDENT_STEP,
                    FLEET_ALERT -> OptionalInt.empty();
        };
    }
}
