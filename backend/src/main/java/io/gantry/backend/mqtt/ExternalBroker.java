package io.gantry.backend.mqtt;

import io.gantry.backend.metrics.BackendMetrics;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend as an MQTT v5 client of an external broker (docs/mqtt.md, "External broker"): it
 * connects over mutual TLS with the push identity, publishes commands and fleet alerts there and
 * subscribes to every device's {@code status/#} for the {@link DeviceStatusBoard}. It connects in
 * the background and reconnects after each loss, waiting one second, then twice as long after each
 * failure up to the configured bound. {@link #push} never waits for the broker: while it is
 * unreachable a command is dropped with a log line and counted (devices still learn at their next
 * poll), and {@link #connected()} says so.
 */
public final class ExternalBroker implements CommandPush, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalBroker.class);
    /** Every device's statuses (the broker's ACL lets each device write only its own). */
    static final String STATUS_FILTER = MqttTopics.DEVICES + "+/status/#";
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String url;
    private final Duration maxWait;
    private final DeviceStatusBoard statuses;
    private final BackendMetrics metrics;
    private final ScheduledExecutorService reconnects;
    private final Map<String, DeviceCommand> pushed = new ConcurrentHashMap<>();
    /** Consecutive failed attempts since the last connection; guarded by {@code this}. */
    private int failures;
    private volatile boolean closed;

    private ExternalBroker(MqttAsyncClient client, MqttConnectionOptions options, String url, Duration maxWait,
            DeviceStatusBoard statuses, BackendMetrics metrics) {
        this.client = client;
        this.options = options;
        this.url = url;
        this.maxWait = maxWait;
        this.statuses = statuses;
        this.metrics = metrics;
        this.reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-mqtt-client");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the push identity and starts connecting in the background; returns at once, whether
     * or not the broker is reachable.
     *
     * @throws IllegalArgumentException if the key store, its password or the CA file cannot be used
     */
    public static ExternalBroker start(ExternalBrokerConfig config, DeviceStatusBoard statuses, BackendMetrics metrics) {
        ExternalBrokerConfig.Credentials credentials = config.load();
        // One client id per node: nodes sharing the push identity must not take over each other's session.
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        String clientId = credentials.commonName() + "-" + HexFormat.of().formatHex(suffix);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(credentials.tls().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        String url = config.brokerUrl().toString();
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot use the MQTT broker URL " + url + ": " + e.getMessage(), e);
        }
        ExternalBroker broker = new ExternalBroker(client, options, url, config.maxReconnect(), statuses, metrics);
        client.setCallback(broker.new Events());
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("gantry_mqtt_external_connected")
                .help("1 while the backend is connected to its external MQTT broker, else 0.")
                .callback(cb -> cb.call(broker.connected() ? 1 : 0)).register(metrics.registry());
        LOG.info("MQTT: connecting to the external broker {} as {} (client id {})", url, credentials.commonName(), clientId);
        broker.reconnects.execute(broker::connect);
        return broker;
    }

    /** @return whether the client is connected to the broker now */
    public boolean connected() {
        return client.isConnected();
    }

    /** @return {@code ssl://host:port} of the broker */
    public String uri() {
        return url;
    }

    /** @return the statuses devices published, as the broker passed them on */
    public DeviceStatusBoard statuses() {
        return statuses;
    }

    /**
     * @return the last command published to {@code controllerId}'s own topics since the backend
     *     started (its {@code issuedAt} is when the backend sent it), if any
     */
    public Optional<DeviceCommand> lastPushed(String controllerId) {
        return Optional.ofNullable(pushed.get(controllerId));
    }

    @Override
    public void push(DeviceCommand command) {
        if (command.controllerId() != null) {
            pushed.put(command.controllerId(), command);
        }
        publish(command.topic(), command.json(), command.retained(), command.type() + " to " + command.controllerId());
    }

    /** Publishes one fleet alert change on {@link MqttTopics#FLEET_ALERTS}; a failure is logged, never thrown. */
    public void publishFleetAlert(String json) {
        publish(MqttTopics.FLEET_ALERTS, json, false, "fleet alert");
    }

    private void publish(String topic, String json, boolean retained, String what) {
        MqttMessage message = new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, retained, new MqttProperties());
        message.getProperties().setContentType("application/json");
        try {
            client.publish(topic, message, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                        metrics.mqttPublished("refused");
                        LOG.warn("MQTT: the broker {} refused {} (reason 0x{}): check the push identity's ACL", url, what,
                                Integer.toHexString(codes[0]));
                    } else {
                        metrics.mqttPublished("published");
                        LOG.info("MQTT: published {} on {}", what, url);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    metrics.mqttPublished("failed");
                    LOG.warn("MQTT: {} not published on {}: {}", what, url, e.toString());
                }
            });
        } catch (MqttException | RuntimeException e) {
            // Not connected (or too many in flight): a command is a hint, the poll carries the truth.
            metrics.mqttPublished("not_connected");
            LOG.warn("MQTT: {} not published, broker {} not reachable now: {}", what, url, e.toString());
        }
    }

    private void connect() {
        if (closed || client.isConnected()) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    synchronized (ExternalBroker.this) {
                        failures = 0;
                    }
                    LOG.info("MQTT: connected to the external broker {}", url);
                    subscribeStatuses();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retryLater("cannot connect: " + e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            retryLater("cannot connect: " + e);
        }
    }

    private void subscribeStatuses() {
        try {
            client.subscribe(new MqttSubscription[] {new MqttSubscription(STATUS_FILTER, 1)}, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int code = token.getReasonCodes() == null ? 0 : token.getReasonCodes()[0];
                    if (code >= 0x80) {
                        LOG.warn("MQTT: the broker {} refused the status subscription (reason 0x{}): check the push identity's ACL",
                                url, Integer.toHexString(code));
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.warn("MQTT: status subscription on {} failed: {}", url, e.toString());
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.warn("MQTT: status subscription on {} failed: {}", url, e.toString());
        }
    }

    private void retryLater(String why) {
        if (closed) {
            return;
        }
        long waitMillis;
        synchronized (this) {
            waitMillis = Math.min(maxWait.toMillis(), 1000L << Math.min(failures, 20));
            failures++;
        }
        LOG.warn("MQTT: external broker {} {}; next attempt in {} ms", url, why, waitMillis);
        try {
            reconnects.schedule(this::connect, waitMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // closed meanwhile
        }
    }

    /** Disconnects and stops reconnecting. */
    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT: disconnect from {}: {}", url, e.toString());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("MQTT: close: {}", e.toString());
            }
        }
    }

    /** Paho's callbacks: lost connections, statuses. */
    private final class Events implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            if (!closed) {
                try {
                    reconnects.execute(() -> retryLater("disconnected: " + response));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // closed meanwhile
                }
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT: error on {}: {}", url, exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String owner = MqttTopics.statusOwner(topic);
            if (owner != null) {
                statuses.record(owner, topic, message.getPayload());
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
