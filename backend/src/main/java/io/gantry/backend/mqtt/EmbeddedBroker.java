package io.gantry.backend.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.metrics.BackendMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HiveMQ CE broker (docs/mqtt.md): one mutual-TLS listener with the backend's own
 * server key, client certificates chaining to the device trust anchor, the
 * {@link DeviceAuthenticator} (registry check, client id = CN, per-device topics) and the
 * {@link StatusInterceptor}. The backend publishes commands through the broker's own publish
 * service: it needs no network client and no credential of its own.
 */
public final class EmbeddedBroker implements CommandPush, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private final EmbeddedHiveMQ hivemq;
    private final String host;
    private final int port;
    private final DeviceStatusBoard statuses;
    private final Map<String, DeviceCommand> pushed = new ConcurrentHashMap<>();
    private final DeviceAuthenticator authenticator;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, String host, int port, DeviceStatusBoard statuses,
            DeviceAuthenticator authenticator) {
        this.hivemq = hivemq;
        this.authenticator = authenticator;
        this.host = host;
        this.port = port;
        this.statuses = statuses;
    }

    /**
     * Starts the broker and waits until it listens.
     *
     * @param config host and port ({@code 0}: a free port)
     * @param backend the backend's TLS key and client trust anchor
     * @param dir the brokers' folder: this one's configuration and data go to {@code <host>-<port>/} in it, replaced at each start
     * @param admission the backend's client-certificate check (revocation registry, retired intermediates) and
     *     where refusals are recorded, once the backend has them: a client connecting before waits for them
     * @param statuses where device statuses go
     * @throws IOException if the broker cannot start (port in use, folder not writable)
     */
    public static EmbeddedBroker start(MqttBrokerConfig config, BackendConfig backend, Path dir,
            CompletableFuture<DeviceAdmission> admission, DeviceStatusBoard statuses, BackendMetrics metrics)
            throws IOException, GeneralSecurityException {
        int port = config.port() == 0 ? freePort(config.bindHost()) : config.port();
        // Nodes may share the data folder: each broker keeps its own files, named by host and port.
        dir = dir.resolve(nodeName() + "-" + port);
        Path conf = dir.resolve("conf");
        BrokerFiles.write(conf, backend, config.bindHost(), port);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path extensions = Files.createDirectories(dir.resolve("extensions"));
        DeviceAuthenticator authenticator = new DeviceAuthenticator(admission, metrics);
        StatusInterceptor interceptor = new StatusInterceptor(statuses);
        EmbeddedExtension extension = EmbeddedExtension.builder().withId("gantry-devices").withName("Gantry devices")
                .withVersion("1").withAuthor("Gantry").withPriority(1000).withStartPriority(1000)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                        Services.securityRegistry().setAuthenticatorProvider(i -> authenticator);
                        Services.initializerRegistry().setClientInitializer(
                                (i, client) -> client.addPublishInboundInterceptor(interceptor));
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
                    }
                }).build();
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
                .withExtensionsFolder(extensions).withEmbeddedExtension(extension).withoutLoggingBootstrap().build();
        try {
            hivemq.start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException e) {
            closeQuietly(hivemq);
            throw new IOException("cannot start the MQTT broker on " + config.bindHost() + ":" + port + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        LOG.info("MQTT broker listening on mqtts://{}:{}", config.bindHost(), port);
        return new EmbeddedBroker(hivemq, config.bindHost(), port, statuses, authenticator);
    }

    /** @return the listener's TCP port */
    public int port() {
        return port;
    }

    /** @return {@code ssl://host:port}, with 127.0.0.1 for a wildcard address */
    public String uri() {
        String h = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        return "ssl://" + h + ":" + port;
    }

    /**
     * @return how many clients' CONNECT the broker holds now because the backend has not yet handed
     *     over its certificate check (see {@code DeviceAdmission})
     */
    public int heldConnects() {
        return authenticator.held();
    }

    /** @return the statuses devices published */
    public DeviceStatusBoard statuses() {
        return statuses;
    }

    /**
     * @return the last command published to {@code controllerId}'s own topics since the broker
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
        try {
            Services.publishService().publish(Builders.publish().topic(command.topic()).qos(Qos.AT_LEAST_ONCE)
                    .retain(command.retained()).contentType("application/json")
                    .payload(ByteBuffer.wrap(command.json().getBytes(StandardCharsets.UTF_8))).build())
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            LOG.warn("MQTT: {} to {} not published: {}", command.type(), command.controllerId(), e.toString());
                        } else {
                            LOG.info("MQTT: pushed {} to {}", command.type(), command.controllerId());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("MQTT: {} to {} not published: {}", command.type(), command.controllerId(), e.toString());
        }
    }

    /**
     * Publishes one fleet alert change (JSON) on {@link MqttTopics#FLEET_ALERTS}, QoS 1, not retained;
     * a failure is logged, never thrown (the log and the webhook still carry the alert).
     */
    public void publishFleetAlert(String json) {
        try {
            Services.publishService().publish(Builders.publish().topic(MqttTopics.FLEET_ALERTS).qos(Qos.AT_LEAST_ONCE)
                    .contentType("application/json").payload(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))).build())
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            LOG.warn("MQTT: fleet alert not published: {}", e.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("MQTT: fleet alert not published: {}", e.toString());
        }
    }

    /** Stops the broker (HiveMQ takes a few seconds). */
    @Override
    public void close() {
        closeQuietly(hivemq);
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("error stopping the MQTT broker", e);
        }
    }

    private static String nodeName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9._-]{1,64}") ? name : "node";
        } catch (IOException e) {
            return "node";
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }
}
