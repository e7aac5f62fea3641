package io.gantry.agent.internal;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.coordinator.HealthGate;
import java.io.IOException;
import java.net.URI;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code backend} health gate: one device-API poll over mutual TLS with the identity the
 * keystore offers now and the backend's chain checked under the trust root's TLS policy. It
 * passes only if the keystore, the TLS policy behind it and this agent all work after a switch.
 */
@Component(configurationPid = "io.gantry.agent", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = HealthGate.NAME + "=backend")
public final class BackendHealthGate implements HealthGate {
    private final DeviceIdentity identity;
    private final URI backend;
    private final String tenant;

    @Activate
    public BackendHealthGate(@Reference DeviceIdentity identity, DdiAgentConfig config) {
        this.identity = identity;
        this.backend = URI.create(config.backendUrl());
        this.tenant = config.tenant();
    }

    @Override
    public String problem() {
        try {
            new DdiClient(identity.sslContext(), backend, tenant, identity.deviceId()).poll();
            return null;
        } catch (IOException | RuntimeException e) {
            return "device API at " + backend + " not reachable over mutual TLS: " + e;
        }
    }
}
