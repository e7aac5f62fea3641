package io.gantry.api.failure;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A stable failure code: its {@link #name()} is the spelling on the wire (hawkBit feedback
 * details, security-event rows, alert JSON, error bodies, log lines) and never changes; its
 * {@link #meaning()} is one line for the person reading it.
 *
 * <p>Codes come in small enums, one per concern, each beside the exception that carries it:
 * {@code verify.RejectionCode} (release refused), {@code rollback.InstallFailureCode},
 * {@code device.DeviceFailureCode}, {@code agent.UpdateFailureCode} (download and retrieval),
 * {@code renewal.RenewalErrorCode}, {@code tls.BackendChainCode}, plus the server's own in
 * {@code io.gantry.backend.failure}. One enum per concern rather than one enum for all, because
 * the exception of a concern can then only be given a code of that concern (an install cannot
 * fail with {@code MISSING_SIGNATURE}), a vendor plugin sees only the device codes, and each API
 * package keeps its own version. Where a code may come from several concerns (an
 * {@code UpdateFailedException}, a security event), this interface is the type. Names are unique
 * across all enums, so a stored name identifies its code; docs/failure-codes.md lists every value
 * and a test keeps that table and the enums equal.
 */
@ProviderType
public interface FailureCode {

    /** @return the stable code, as written on the wire and in logs (the enum constant's name) */
    String name();

    /** @return what the code means, in one line */
    String meaning();
}
