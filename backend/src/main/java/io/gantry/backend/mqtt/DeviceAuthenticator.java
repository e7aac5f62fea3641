package io.gantry.backend.mqtt;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.gantry.api.failure.FailureCode;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.tls.ClientCertificateCheck;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.Role;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits an MQTT client only with a device certificate ({@code OU=devices}) that the backend's
 * check accepts (registry GOOD, intermediate not retired) and a client id equal to its CN (an
 * operator certificate, under the same checks, may only subscribe to {@code gantry/v1/fleet/alerts}); the
 * TLS listener has already verified the chain. The admitted client gets exactly three permissions,
 * everything else denied: subscribe {@code gantry/v1/devices/<cn>/cmd/#} and
 * {@code gantry/v1/fleet/cmd/#}, and publish
 * {@code gantry/v1/devices/<cn>/status/#}. Every refusal is a security event; the device's
 * certificate is read again at each connect, so a revocation takes effect at the next one.
 *
 * <p>The broker starts while the backend opens its database; a client connecting before the
 * backend has handed over its {@link DeviceAdmission} is held (HiveMQ's asynchronous
 * authentication) until it has, and refused if that takes longer than {@link #ADMISSION_WAIT} or
 * the backend's start fails: no client is admitted without the backend's check.
 */
final class DeviceAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAuthenticator.class);
    /** Longest a client connecting while the backend starts waits for its check before it is refused. */
    static final Duration ADMISSION_WAIT = Duration.ofSeconds(30);
    private final CompletableFuture<DeviceAdmission> admission;
    private final BackendMetrics metrics;
    private final AtomicInteger held = new AtomicInteger();

    DeviceAuthenticator(CompletableFuture<DeviceAdmission> admission, BackendMetrics metrics) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        DeviceAdmission ready = admission.getNow(null);
        if (ready != null) {
            admit(ready, input, output);
            return;
        }
        // The backend is still starting: hold the client until it has its check (or refuse on timeout).
        held.incrementAndGet();
        Async<SimpleAuthOutput> async = output.async(ADMISSION_WAIT, TimeoutFallback.FAILURE, ConnackReasonCode.NOT_AUTHORIZED,
                SecurityEventCode.CERT_STATUS_UNAVAILABLE.name());
        admission.whenComplete((a, failed) -> {
            try {
                if (a != null) {
                    admit(a, input, output);
                } else {
                    // The backend did not start: nothing can be checked, nothing recorded; the broker is being closed.
                    metrics.mqttConnectRefused(SecurityEventCode.CERT_STATUS_UNAVAILABLE);
                    output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, SecurityEventCode.CERT_STATUS_UNAVAILABLE.name());
                }
            } catch (RuntimeException e) {
                LOG.error("MQTT: authentication after the backend's start failed", e);
                output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, SecurityEventCode.CERT_STATUS_UNAVAILABLE.name());
            } finally {
                held.decrementAndGet();
                async.resume();
            }
        });
    }

    /**
     * @return how many connecting clients wait for the backend's check now (a client refused after
     *     {@link #ADMISSION_WAIT} stays counted until the backend's start has ended either way)
     */
    int held() {
        return held.get();
    }

    private void admit(DeviceAdmission admission, SimpleAuthInput input, SimpleAuthOutput output) {
        ClientCertificateCheck check = admission.check();
        SecurityEvents events = admission.events();
        String clientId = input.getClientInformation().getClientId();
        String address = input.getConnectionInformation().getInetAddress().map(InetAddress::getHostAddress).orElse(null);
        X509Certificate[] chain = input.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificateChain).orElse(null);
        ClientIdentity identity = ClientIdentity.fromChain(chain);
        if (identity == null || (identity.role() != Role.DEVICE && identity.role() != Role.OPERATOR)) {
            refuse(events, output, SecurityEventCode.WRONG_ROLE, identity == null ? null : identity.commonName(), address,
                    "MQTT: only device and operator certificates may connect");
            return;
        }
        String cn = identity.commonName();
        if (!cn.equals(clientId) || !MqttTopics.usableId(cn)) {
            refuse(events, output, SecurityEventCode.IDENTITY_MISMATCH, cn, address,
                    "MQTT: client id '" + clientId + "' is not the certificate's CN");
            return;
        }
        ClientCertificateCheck.Refusal refusal;
        try {
            refusal = check.check(chain);
        } catch (RuntimeException e) {
            LOG.error("MQTT: certificate check failed for {}", cn, e);
            refusal = new ClientCertificateCheck.Refusal(SecurityEventCode.CERT_STATUS_UNAVAILABLE,
                    "revocation status cannot be read");
        }
        if (refusal != null) {
            refuse(events, output, refusal.code(), cn, address, "MQTT: " + refusal.message());
            return;
        }
        ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
        permissions.clear();
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        if (identity.role() == Role.OPERATOR) {
            // An operator listens to fleet alerts, nothing else: no device topic, no publishing.
            permissions.add(permission(MqttTopics.FLEET_ALERTS, TopicPermission.MqttActivity.SUBSCRIBE));
            output.authenticateSuccessfully();
            return;
        }
        permissions.add(permission(MqttTopics.commandFilter(cn), TopicPermission.MqttActivity.SUBSCRIBE));
        permissions.add(permission(MqttTopics.fleetCommandFilter(), TopicPermission.MqttActivity.SUBSCRIBE));
        permissions.add(permission(MqttTopics.statusFilter(cn), TopicPermission.MqttActivity.PUBLISH));
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission().topicFilter(filter).type(TopicPermission.PermissionType.ALLOW)
                .activity(activity).build();
    }

    private void refuse(SecurityEvents events, SimpleAuthOutput output, FailureCode code, String subject, String address, String detail) {
        metrics.mqttConnectRefused(code);
        events.recordRepeatable(code, subject, address, detail);
        LOG.info("{} ({})", detail, code.name());
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, code.name());
    }
}
