package io.gantry.backend.mqtt;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.tls.ClientCertificateCheck;
import java.util.Objects;

/**
 * What the broker's {@link DeviceAuthenticator} needs from the backend to admit a client: the
 * backend's certificate check (revocation registry, retired intermediates) and the security events
 * where refusals are recorded. The broker starts before the backend has opened its database
 * (docs/benchmarks.md, "Backend start"), so it receives these once the backend has them; a client
 * connecting before then waits for them (docs/mqtt.md).
 *
 * @param check the backend's client-certificate check
 * @param events where refusals are recorded
 */
public record DeviceAdmission(ClientCertificateCheck check, SecurityEvents events) {
    /** @throws NullPointerException if a part is missing */
    public DeviceAdmission {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(events, "events");
    }
}
