package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.mqtt.DeviceAdmission;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.backend.tls.ClientCertificateCheck;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker starts before the backend has its certificate check (docs/mqtt.md, "Broker"): a device
 * connecting in between is held, then admitted or refused by the check it is handed, and refused
 * when the backend's start fails. Real broker, real mutual TLS, certificates from the test PKI.
 */
class MqttAdmissionWaitTest {
    private static final int NOT_AUTHORIZED = 0x87;
    @TempDir
    static Path tmp;
    private static BackendFixture backend;
    private static Database database;
    private static SecurityEvents events;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp.resolve("backend"));
        database = TestDatabases.open(tmp.resolve("events-db"));
        events = new SecurityEvents(database, new SecurityEventRepository(), Clock.systemUTC(), 10_000);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aDeviceConnectingBeforeTheCheckIsHeldThenAdmitted() throws Exception {
        CompletableFuture<DeviceAdmission> admission = new CompletableFuture<>();
        try (EmbeddedBroker broker = broker("held-admitted", admission)) {
            CompletableFuture<MqttDevice> connecting = connect(broker, "gw-held");
            // The device is in its CONNECT, held: nothing answers it before the check is there.
            assertFalse(connecting.isDone(), "answered before the backend handed over its check");
            assertEquals(1, broker.heldConnects());
            admission.complete(new DeviceAdmission(chain -> null, events));
            try (MqttDevice device = connecting.get(20, TimeUnit.SECONDS)) {
                assertTrue(device.connected());
            }
            assertEquals(0, broker.heldConnects());
        }
    }

    @Test
    void theCheckHandedOverLaterStillRefusesAndRecords() throws Exception {
        CompletableFuture<DeviceAdmission> admission = new CompletableFuture<>();
        try (EmbeddedBroker broker = broker("held-refused", admission)) {
            CompletableFuture<MqttDevice> connecting = connect(broker, "gw-held-revoked");
            admission.complete(new DeviceAdmission(
                    chain -> new ClientCertificateCheck.Refusal(SecurityEventCode.CERT_REVOKED, "certificate revoked"), events));
            assertEquals(NOT_AUTHORIZED, refusal(connecting));
            assertTrue(recorded("gw-held-revoked", SecurityEventCode.CERT_REVOKED), "refusal not recorded");
        }
    }

    @Test
    void aFailedBackendStartRefusesTheHeldDevice() throws Exception {
        CompletableFuture<DeviceAdmission> admission = new CompletableFuture<>();
        try (EmbeddedBroker broker = broker("start-failed", admission)) {
            CompletableFuture<MqttDevice> connecting = connect(broker, "gw-held-failed");
            admission.completeExceptionally(new IllegalStateException("database unreachable"));
            assertEquals(NOT_AUTHORIZED, refusal(connecting));
        }
    }

    private static EmbeddedBroker broker(String name, CompletableFuture<DeviceAdmission> admission) throws Exception {
        return EmbeddedBroker.start(MqttBrokerConfig.on("127.0.0.1", 0), backend.config, tmp.resolve(name), admission,
                new DeviceStatusBoard(Clock.systemUTC()), new BackendMetrics());
    }

    private static CompletableFuture<MqttDevice> connect(EmbeddedBroker broker, String id) throws Exception {
        backend.pki.issueDevice(id);
        var identity = backend.pki.loadDevice(id);
        CompletableFuture<MqttDevice> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return new MqttDevice(broker.uri(), id, identity, backend.pki.rootCaPem());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // Observed broker-side: the client's CONNECT has reached the authenticator and is held there.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (broker.heldConnects() < 1) {
            assertFalse(connecting.isDone(), "answered before the backend handed over its check");
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the CONNECT never reached the broker's authenticator");
            }
            Thread.sleep(10);
        }
        return connecting;
    }

    private static int refusal(CompletableFuture<MqttDevice> connecting) throws Exception {
        try {
            connecting.get(20, TimeUnit.SECONDS).close();
            throw new AssertionError("admitted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MqttException m) {
                return m.getReasonCode();
            }
            throw e;
        }
    }

    private static boolean recorded(String subject, SecurityEventCode code) throws Exception {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM security_events WHERE subject = ? AND code = ?")) {
                ps.setString(1, subject);
                ps.setString(2, code.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }
}
