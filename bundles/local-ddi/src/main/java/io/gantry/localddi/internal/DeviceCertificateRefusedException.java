package io.gantry.localddi.internal;

import io.gantry.api.device.DeviceFailureCode;

/**
 * A device's client certificate refused on the local endpoint after the handshake validated it:
 * revoked, or its revocation status unknown. Carries the code the endpoint answers (403) and logs.
 */
final class DeviceCertificateRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final DeviceFailureCode code;

    DeviceCertificateRefusedException(DeviceFailureCode code, String message) {
        super(message);
        this.code = code;
    }

    /** @return {@code DEVICE_CERT_REVOKED} or {@code DEVICE_CERT_STATUS_UNKNOWN} */
    DeviceFailureCode code() {
        return code;
    }
}
