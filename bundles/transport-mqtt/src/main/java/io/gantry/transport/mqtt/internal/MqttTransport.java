package io.gantry.transport.mqtt.internal;

import io.gantry.api.agent.CheckInTrigger;
import io.gantry.api.keystore.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's MQTT v5 client: connects over mutual TLS with the device certificate (client id
 * = controller id), subscribes to {@code gantry/v1/devices/<id>/cmd/#} and
 * {@code gantry/v1/fleet/cmd/#}, asks the agent to poll at once for each command and publishes
 * {@code gantry/v1/devices/<id>/status/push} when it did. Paho reconnects by itself; the component
 * disconnects on deactivation, so a replaced bundle (or a replaced agent) leaves no client behind
 * and its successor connects afresh.
 */
@Component(configurationPid = "io.gantry.transport.mqtt", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = MqttTransportConfig.class)
public final class MqttTransport implements MqttCallback {
    private static final System.Logger LOG = System.getLogger(MqttTransport.class.getName());
    private final CheckInTrigger trigger;
    private final String deviceId;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final int maxRetrySeconds;
    /** Retries the first connection; Paho's automatic reconnect takes over once one succeeded. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "gantry-mqtt-connect"));
    private int attempts;

    /** Connects (in the background, retrying) to the configured broker. */
    @Activate
    public MqttTransport(@Reference DeviceIdentity identity, @Reference CheckInTrigger trigger, MqttTransportConfig config)
            throws Exception {
        this(identity, trigger, config.brokerUrl(), config.maxReconnectSeconds());
    }

    /** The same outside a framework (tests): {@code brokerUrl} must be {@code ssl://}. */
    public MqttTransport(DeviceIdentity identity, CheckInTrigger trigger, String brokerUrl, int maxReconnectSeconds)
            throws Exception {
        if (!brokerUrl.startsWith("ssl://")) {
            throw new IllegalArgumentException("brokerUrl must be ssl://: " + brokerUrl);
        }
        this.trigger = trigger;
        this.deviceId = identity.deviceId();
        this.client = new MqttAsyncClient(brokerUrl, deviceId, new MemoryPersistence());
        client.setCallback(this);
        this.maxRetrySeconds = Math.max(1, maxReconnectSeconds);
        this.options = new MqttConnectionOptions();
        options.setSocketFactory(identity.sslContext().getSocketFactory());
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, maxRetrySeconds);
        options.setConnectionTimeout(15);
        options.setKeepAliveInterval(60);
        retries.execute(this::connect);
    }

    /** One connection attempt; on failure the next after a doubling wait (at most maxReconnectSeconds). */
    private void connect() {
        try {
            client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(20));
        } catch (MqttException e) {
            attempts++;
            long wait = Math.min(maxRetrySeconds, 1L << Math.min(attempts, 16));
            LOG.log(System.Logger.Level.WARNING, "MQTT connect failed ({0} in a row), next in {1} s: {2}", attempts, wait,
                    e.toString());
            if (!retries.isShutdown()) {
                retries.schedule(this::connect, wait, TimeUnit.SECONDS);
            }
        }
    }

    /** Disconnects and closes the client (component deactivation: bundle or agent replaced, configuration changed). */
    @Deactivate
    public void deactivate() throws InterruptedException {
        retries.shutdownNow();
        retries.awaitTermination(25, TimeUnit.SECONDS);
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT disconnect: {0}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT close: {0}", e.toString());
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        try {
            client.subscribe(new MqttSubscription[] {
                new MqttSubscription("gantry/v1/devices/" + deviceId + "/cmd/#", 1),
                new MqttSubscription("gantry/v1/fleet/cmd/#", 1)});
            LOG.log(System.Logger.Level.INFO, "MQTT connected to {0}", serverUri);
            client.publish("gantry/v1/devices/" + deviceId + "/status/online",
                    ("{\"online\":true,\"reconnect\":" + reconnect + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            // Anything pushed while disconnected is lost: poll once to catch up.
            if (reconnect) {
                trigger.checkInNow();
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.WARNING, "MQTT subscribe failed: {0}", e.toString());
        }
    }

    /**
     * Asks the agent to poll now; once the backend answered that poll, reports on
     * {@code status/push} how long after the command it was:
     * {@code {"command":"checkIn","actionId":12,"polled":true,"pollMs":35}} (or
     * {@code "polled":false} with the error).
     */
    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long heard = System.nanoTime();
        String type = CommandMessage.typeOf(message.getPayload());
        if (type == null) {
            return;
        }
        String id = CommandMessage.idField(message.getPayload());
        String head = "{\"command\":\"" + type + "\"" + (id.isEmpty() ? "" : "," + id);
        trigger.checkInNowAnswered().whenComplete((answered, failure) -> publishStatus(failure == null
                ? head + ",\"polled\":true,\"pollMs\":" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heard) + "}"
                : head + ",\"polled\":false,\"error\":\"" + jsonText(String.valueOf(failure)) + "\"}"));
    }

    private void publishStatus(String json) {
        try {
            client.publish("gantry/v1/devices/" + deviceId + "/status/push", json.getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "MQTT status not published: {0}", e.toString());
        }
    }

    private static String jsonText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : (s.length() > 200 ? s.substring(0, 200) : s).toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        LOG.log(System.Logger.Level.INFO, "MQTT disconnected: {0}", response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.log(System.Logger.Level.WARNING, "MQTT error: {0}", exception.toString());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
