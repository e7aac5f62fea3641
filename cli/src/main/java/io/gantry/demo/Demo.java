package io.gantry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.BackendServer;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.testing.fleet.BundleRebuild;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The main job in one command: PKI, signing key, backend with its MQTT broker, a gateway in its own
 * JVM and simulated devices; then a signed update of a gateway bundle (in place, same JVM) and of
 * the gateway's own verifier, each through a two-group rollout (the gateway as canary, pushed over
 * MQTT, then the simulated devices), a signed firmware for the two sensors behind it
 * (one fails to confirm its boot, is rolled back to its old slot and is retried alone), and a
 * tampered release the backend refuses. Succeeds only when the backend recorded success for both
 * updates.
 */
public final class Demo {
    static final String GATEWAY_ID = "gw-1";
    static final String SENSOR_ID = "sensor-1";
    /** The second sensor, which fails to confirm its first boot of the new firmware. */
    static final String FLAKY_SENSOR_ID = "sensor-2";
    static final String REVOKED_ID = "gw-2";
    /** Simulated devices beside the gateway, so a rollout has a second group. */
    static final List<String> SIMULATED_IDS = List.of("sim-1", "sim-2");
    /** The tag the rollouts select the demo fleet by. */
    static final String FLEET_TAG = "demo-fleet";
    /** What the backend tells devices between polls (the default of gantry backend): the push beats it. */
    static final Duration POLLING_INTERVAL = Duration.ofSeconds(5);
    static final Duration NEAR_EXPIRY = Duration.ofDays(60);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private final Path work;
    private final Path distribution;
    private final PrintStream out;
    private final Clock clock = Clock.systemUTC();
    private KeyPair alice;
    private KeyPair bob;

    public Demo(Path work, Path distribution, PrintStream out) {
        this.work = work.toAbsolutePath();
        this.distribution = distribution.toAbsolutePath();
        this.out = out;
    }

    /** @return 0 when both updates were recorded as successful */
    public int run() throws Exception {
        DemoWorkspace.reset(work);
        step(1, "Creating the PKI (offline root -> intermediate -> server, devices " + GATEWAY_ID + " and " + SIMULATED_IDS
                + ", operator)");
        int revocationPort = DemoPorts.freeLoopbackPort();
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        // Valid 60 days: inside the 90-day renewal window, so the gateway renews it over EST at once.
        pki.issueDevice(GATEWAY_ID, NEAR_EXPIRY);
        pki.issueDevice(REVOKED_ID);
        for (String id : SIMULATED_IDS) {
            pki.issueDevice(id);
        }
        pki.issueOperator("operator");
        out.println("  " + GATEWAY_ID + " certificate expires in " + NEAR_EXPIRY.toDays() + " days (near expiry)");
        step(2, "Creating release keys (ECDSA P-256) and the trust root: 2 of {alice, bob} sign releases, 2 root keys sign it");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), TrustRootFixture.hardFailPinning(pki.rootCaPem()),
                List.of("alice", "bob"), 0, 1);
        out.println("  trust root " + trust + " signed by " + TrustRootFixture.ROOT_KEYS
                + "; backend TLS: root CA key pinned, revocation hard-fail (the backend staples OCSP)");
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                "alice", clock);
        this.alice = keys.key("alice");
        this.bob = keys.key("bob");

        step(3, "Starting the backend (HTTPS with client certificates, EST, OCSP/CRL, H2 + Flyway, operator alerts, MQTT v5 broker)");
        try (DemoAlertInbox inbox = new DemoAlertInbox();
                BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                        .withPollingSleep(POLLING_INTERVAL).withRevocationPort(revocationPort), ServiceSettings.DEFAULT,
                        EnrollmentConfig.fromPki(pki), new AlertWebhook(inbox.url(), AlertWebhook.DEFAULT_CODES, Duration.ofMillis(200)),
                        MqttBrokerConfig.on("127.0.0.1", 0), clock)) {
            EmbeddedBroker broker = backend.mqttBroker().orElseThrow();
            out.println("  backend at " + backend.baseUri() + ", OCSP and CRL at http://127.0.0.1:" + revocationPort
                    + ", operator alerts to " + inbox.url() + ", MQTT broker at " + broker.uri().replace("ssl://", "mqtts://")
                    + " (mutual TLS, device certificates); devices poll every " + POLLING_INTERVAL.toSeconds() + " s");
            ManagementClient mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
            ActionWatcher watcher = new ActionWatcher(mgmt, out);

            step(4, "Starting gateway " + GATEWAY_ID + " (Felix) in its own JVM, with its MQTT push transport, and "
                    + SIMULATED_IDS.size() + " simulated devices");
            GatewayHome home = GatewayHome.provision(work.resolve("gateway-" + GATEWAY_ID), pki, GATEWAY_ID, trust,
                    backend.baseUri(), List.of(SENSOR_ID, FLAKY_SENSOR_ID));
            home.mqtt(broker.uri());
            try (GatewayProcess gateway = GatewayProcess.start(distribution, home.dir(), line -> out.println("  " + line));
                    DemoFleet fleet = DemoFleet.start(backend.baseUri(), pki, SIMULATED_IDS, line -> out.println("  " + line))) {
                gateway.awaitLine(l -> l.contains("Felix started"), STEP_TIMEOUT);
                watcher.awaitCheckIn(GATEWAY_ID, STEP_TIMEOUT);
                out.println("  " + GATEWAY_ID + " checked in over mutual TLS (pid " + gateway.pid() + ")");
                require(broker.statuses().await(GATEWAY_ID, "gantry/v1/devices/" + GATEWAY_ID + "/status/online", STEP_TIMEOUT)
                        .isPresent(), GATEWAY_ID + "'s MQTT transport did not connect");
                out.println("  " + GATEWAY_ID + "'s MQTT transport connected to the broker with its device certificate"
                        + " (status/online received)");
                for (String id : fleet.ids(GATEWAY_ID)) {
                    mgmt.tag(id, FLEET_TAG);
                }
                out.println("  simulated devices " + SIMULATED_IDS + " polling; " + fleet.ids(GATEWAY_ID) + " tagged " + FLEET_TAG);
                DemoRollout rollout = new DemoRollout(mgmt, watcher, broker, out, FLEET_TAG, GATEWAY_ID, POLLING_INTERVAL,
                        STEP_TIMEOUT);
                String renewed = gateway.awaitLine(l -> l.contains("device certificate renewed"), STEP_TIMEOUT);
                String serial = renewed.replaceAll(".*serial ([0-9a-f]+).*", "$1");
                JsonNode record = mgmt.certificate(serial);
                require("GOOD".equals(record.path("status").asText()), "renewed certificate not GOOD: " + record);
                out.println("  renewal over EST: backend registry has " + GATEWAY_ID + "'s new certificate " + serial + " ("
                        + record.path("status").asText() + ", valid until " + record.path("notAfter").asText() + ")");
                int code = updates(releases, mgmt, watcher, gateway, home, rollout);
                revokedDeviceIsRefused(backend, pki, mgmt);
                out.println("  operator alerts delivered to the webhook: " + inbox.await(
                        Set.of(RejectionCode.BAD_SIGNATURE.name(), RejectionCode.ROLLBACK.name(),
                                SecurityEventCode.CERTIFICATE_REVOKED.name()), STEP_TIMEOUT));
                out.printf("%nDEMO OK: backend recorded success for the gateway bundle update and the sensor firmware update;"
                        + " both bundle updates rolled out canary first (%s, then %s) with MQTT push; %s renewed its certificate;"
                        + " revoked %s was refused%n", GATEWAY_ID, SIMULATED_IDS, GATEWAY_ID, REVOKED_ID);
                FleetHealth.print(out, backend.baseUri(), pki.operatorKeyStore("operator"), mgmt);
                return code;
            }
        }
    }

    private int updates(ReleaseFixture releases, ManagementClient mgmt, ActionWatcher watcher, GatewayProcess gateway,
            GatewayHome home, DemoRollout rollout) throws Exception {
        long pid = gateway.pid();
        String version = ReleaseFixture.nextMinor(ReleaseFixture.pluginJar(distribution), 1);
        step(5, "Two-person signing and publishing an update of gateway bundle " + ReleaseFixture.PLUGIN_BSN + " " + version);
        Path bundleRelease = releases.unsignedPluginRelease(distribution, version);
        ReleaseFixture.sign(bundleRelease, alice);
        out.println("  alice signed: 1 of 2");
        try {
            mgmt.uploadRelease(bundleRelease);
            throw new IllegalStateException("the backend accepted a release below the signing threshold");
        } catch (ManagementException e) {
            out.println("  publishing now is refused by the backend: " + e.getMessage());
        }
        ReleaseFixture.sign(bundleRelease, bob);
        out.println("  bob signed on his machine: 2 of 2");
        JsonNode bundleAction = publishAndRollOut(mgmt, rollout, bundleRelease);
        gateway.awaitLine(l -> l.contains("bundle " + ReleaseFixture.PLUGIN_BSN + " updated to " + version), STEP_TIMEOUT);
        require(gateway.isAlive() && gateway.pid() == pid, "the gateway JVM restarted");
        out.println("  gateway JVM " + pid + " still running: bundle updated in place, no restart");
        replaceVerifier(releases, mgmt, rollout, gateway);

        step(6, "Publishing signed firmware 1.1.0 for the acme-sensors " + SENSOR_ID + " and " + FLAKY_SENSOR_ID
                + " (A/B slots; " + FLAKY_SENSOR_ID + " will not confirm its boot)");
        home.injectSensorFault(FLAKY_SENSOR_ID, "NO_CONFIRMATION");
        JsonNode firmware = mgmt.uploadRelease(releases.firmwareRelease("1.1.0"));
        long firmwareId = firmware.path("id").asLong();
        JsonNode partial = watcher.awaitClosed(mgmt.assign(GATEWAY_ID, firmwareId), STEP_TIMEOUT);
        require("ERROR".equals(partial.path("status").asText()), "a release that one sensor rolled back ended in "
                + partial.path("status").asText());
        JsonNode flaky = device(mgmt, FLAKY_SENSOR_ID);
        require("BOOT_NOT_CONFIRMED".equals(flaky.path("lastCode").asText()) && "a".equals(home.sensorState(FLAKY_SENSOR_ID)
                .getProperty("active")), FLAKY_SENSOR_ID + " was not rolled back: " + flaky);
        out.println("  " + FLAKY_SENSOR_ID + " did not confirm its boot of 1.1.0: rolled back to slot A, runs "
                + flaky.path("runningVersion").asText() + " (" + flaky.path("lastCode").asText() + ", in the backend's"
                + " device list of " + GATEWAY_ID + "); " + SENSOR_ID + " runs " + device(mgmt, SENSOR_ID).path("runningVersion").asText());
        home.repairSensor(FLAKY_SENSOR_ID);
        out.println("  " + FLAKY_SENSOR_ID + " repaired; the same release assigned again retries only the failed sensor");
        JsonNode firmwareAction = watcher.awaitClosed(mgmt.assign(GATEWAY_ID, firmwareId), STEP_TIMEOUT);
        require("FINISHED".equals(firmwareAction.path("status").asText()), "the retry ended in "
                + firmwareAction.path("status").asText() + ": " + firmwareAction.path("history"));
        require("CURRENT".equals(device(mgmt, SENSOR_ID).path("lastResult").asText()), SENSOR_ID + " was flashed again");
        for (String id : List.of(SENSOR_ID, FLAKY_SENSOR_ID)) {
            Properties sensor = home.sensorState(id);
            require("1.1.0".equals(sensor.getProperty("version")) && "b".equals(sensor.getProperty("active")),
                    id + " state is " + sensor);
            out.println("  " + id + " boots slot B, firmware " + sensor.getProperty("version") + " confirmed");
        }

        step(7, "Bad input: a tampered release, a replay of the installed firmware, a revoked device");
        Path tampered = DemoWorkspace.tamperMetadata(releases.firmwareRelease("1.2.0"), work.resolve("releases"));
        try {
            mgmt.uploadRelease(tampered);
            throw new IllegalStateException("the backend accepted a tampered release");
        } catch (ManagementException e) {
            out.println("  tampered upload refused by the backend: " + e.getMessage());
        }
        long replay = mgmt.assign(GATEWAY_ID, firmwareAction.path("releaseId").asLong());
        JsonNode replayed = watcher.awaitClosed(replay, STEP_TIMEOUT);
        require("ERROR".equals(replayed.path("status").asText()), "the gateway accepted a replayed release");
        out.println("  replay refused by the gateway and recorded by the backend: " + replayed.path("status").asText());

        out.printf("  backend recorded success: action %d (gateway bundle), action %d (sensor firmware)%n",
                bundleAction.path("id").asLong(), firmwareAction.path("id").asLong());
        return 0;
    }

    /**
     * The gateway replaces its own release verifier: a new build of io.gantry.verifier (its
     * sources compiled again with a probe component), signed by alice and bob, switched by the
     * update coordinator outside every bundle, health-gated, and then the one that verifies the
     * firmware of the next step.
     */
    private void replaceVerifier(ReleaseFixture releases, ManagementClient mgmt, DemoRollout rollout,
            GatewayProcess gateway) throws Exception {
        String verifier = "io.gantry.verifier";
        out.println("  now the gateway's own verifier: rebuilding " + verifier + " 0.2.0 from its sources");
        Path jar = BundleRebuild.of(verifier).version("0.2.0").revisionProbe("demo").build(work.resolve("revisions"));
        publishAndRollOut(mgmt, rollout, releases.signed(verifier, "0.2.0", ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET,
                verifier + ".jar", jar));
        gateway.awaitLine(l -> l.contains("revision " + verifier + ":demo active"), STEP_TIMEOUT);
        out.println("  verifier 0.2.0 runs (switched by the update coordinator, health gates passed, committed);"
                + " it verifies everything from here on");
    }

    private void revokedDeviceIsRefused(BackendServer backend, PkiDirectory pki, ManagementClient mgmt) throws Exception {
        DeviceProbe probe = new DeviceProbe(backend.baseUri(), pki.loadDevice(REVOKED_ID), pki.rootCaPem());
        out.println("  " + REVOKED_ID + " polls: HTTP " + probe.poll(REVOKED_ID));
        String serial = pki.loadDevice(REVOKED_ID).chain().get(0).getSerialNumber().toString(16);
        mgmt.revoke("keyCompromise", serial);
        out.println("  operator revoked " + REVOKED_ID + " (serial " + serial + ", keyCompromise)");
        String outcome = probe.refusal(REVOKED_ID);
        require(outcome != null, REVOKED_ID + " was still served after revocation");
        out.println("  " + REVOKED_ID + " polls again: refused (" + outcome + ")");
    }

    /** Uploads a release and sends it through a rollout: the gateway first, then the simulated devices. */
    private JsonNode publishAndRollOut(ManagementClient mgmt, DemoRollout rollout, Path archive) throws Exception {
        JsonNode release = mgmt.uploadRelease(archive);
        String name = release.path("name").asText() + " " + release.path("version").asText();
        out.printf("  uploaded %s (release %d), signed by %s%n", name, release.path("id").asLong(), release.path("signers"));
        JsonNode action = rollout.run(name, release.path("id").asLong());
        long actionId = action.path("id").asLong();
        require("FINISHED".equals(action.path("status").asText()), "action " + actionId + " ended in "
                + action.path("status").asText() + ": " + action.path("history"));
        return action;
    }

    /** @return what the backend knows of a device behind the gateway */
    private static JsonNode device(ManagementClient mgmt, String deviceId) throws Exception {
        for (JsonNode d : mgmt.target(GATEWAY_ID).path("devices")) {
            if (d.path("deviceId").asText().equals(deviceId)) {
                return d;
            }
        }
        throw new IllegalStateException("the backend lists no device " + deviceId + " behind " + GATEWAY_ID);
    }

    private void step(int n, String what) {
        out.printf("%n[%d/7] %s%n", n, what);
    }

    private static void require(boolean condition, String otherwise) {
        if (!condition) {
            throw new IllegalStateException(otherwise);
        }
    }

}
