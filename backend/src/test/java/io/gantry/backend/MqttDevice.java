package io.gantry.backend;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT v5 client for tests, presenting a certificate from the test PKI; keeps what it receives. */
final class MqttDevice implements AutoCloseable {
    /** Messages received, as {@code topic + " " + payload}. */
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final MqttAsyncClient client;

    /**
     * Connects as {@code clientId} with {@code identity}.
     *
     * @throws MqttException if the broker refuses (reason code in the exception)
     */
    MqttDevice(String uri, String clientId, ProtectedKeyStore identity, Path rootCaPem) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(rootCaPem));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(tls.getSocketFactory());
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
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
        });
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    /** @return the SUBACK reason code of subscribing to {@code filter} at QoS 1 (0-2 granted, 0x80 and up refused) */
    int subscribe(String filter) throws MqttException {
        try {
            IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
            token.waitForCompletion(10_000);
            return token.getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    /**
     * Publishes at QoS 1 and waits for the broker's answer.
     *
     * @return the PUBACK reason code (0 accepted, 0x80 and up refused), or the reason of the exception
     *     when the broker closed the connection instead
     */
    int publish(String topic, String payload) {
        try {
            IMqttToken token = client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false);
            token.waitForCompletion(10_000);
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            return e.getReasonCode() == 0 ? -1 : e.getReasonCode();
        }
    }

    /** @return the next message received within 10 s, or {@code null} */
    String next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(10_000);
            }
        } catch (MqttException e) {
            // The broker closes a client whose publish it refused; when that races this DISCONNECT, the
            // client waits for an answer that never comes (32000). Nothing is left to release but the socket.
            if (e.getReasonCode() != MqttClientException.REASON_CODE_CLIENT_TIMEOUT) {
                throw e;
            }
            client.disconnectForcibly(0, 1_000, false);
        } finally {
            client.close(true);
        }
    }
}
