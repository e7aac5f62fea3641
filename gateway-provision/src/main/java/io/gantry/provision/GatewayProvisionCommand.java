package io.gantry.provision;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code provision}: a gateway home from flags, its identity enrolled over EST with the factory
 * credential. Exit codes: 0 provisioned, 1 refused or failed (the stable {@link ProvisionError} first).
 */
@Command(name = "provision", description = "Provision a gateway home: enroll its identity over EST with the factory "
        + "credential, install the backend CA and the release trust root, write the bundles' configuration.")
public final class GatewayProvisionCommand implements Callable<Integer> {
    @Option(names = "--home", required = true, description = "the gateway home to create, e.g. /var/lib/gantry/gw-1")
    Path home;
    @Option(names = "--backend", required = true, description = "backend base URL, e.g. https://backend.example:8443")
    URI backend;
    @Option(names = "--backend-ca", required = true, description = "PEM of the root CA the backend's certificate chains to")
    Path backendCa;
    @Option(names = "--factory-credential", required = true, description = "the one-time factory credential (PKCS#12, password in <file>.pass)")
    Path factoryCredential;
    @Option(names = "--trust-root", required = true, description = "release trust root (trust-root.json, signatures beside it)")
    Path trustRoot;
    @Option(names = "--tenant", defaultValue = "DEFAULT", description = "hawkBit tenant (default: ${DEFAULT-VALUE})")
    String tenant;
    @Option(names = "--poll-seconds", defaultValue = "60", description = "agent poll interval in seconds (default: ${DEFAULT-VALUE})")
    int pollSeconds;
    @Option(names = "--device-id", description = "a device behind the gateway driven by the example plugin (repeat for more)")
    List<String> deviceIds;
    @Option(names = "--minimum-threshold", description = "refuse trust roots whose release threshold is below this")
    Integer minimumThreshold;
    @Option(names = "--coordinator", description = "update coordinator setting KEY=VALUE (healthDeadlineSeconds, soakSeconds, "
            + "soakCheckSeconds, maxTrialStarts, requiredGates); repeat for more")
    Map<String, String> coordinator;
    @Option(names = "--mqtt-broker", description = "MQTT broker for pushes, ssl://host:port: the backend's (gantry backend "
            + "--mqtt-port, default 8883) or an external one such as Mosquitto (docs/mqtt.md); none: the gateway only polls")
    String mqttBroker;

    /** For picocli. */
    public GatewayProvisionCommand() {
    }

    @Override
    public Integer call() throws Exception {
        GatewaySettings settings = new GatewaySettings(backend, tenant, pollSeconds, deviceIds, minimumThreshold, coordinator);
        try {
            if (mqttBroker != null) {
                MqttTransportSetting.validate(mqttBroker);
            }
            GatewayProvisioning.Result r = GatewayProvisioning.provision(home, settings, factoryCredential, backendCa, trustRoot);
            if (mqttBroker != null) {
                MqttTransportSetting.write(new GatewayHomeLayout(r.home()), mqttBroker, MqttTransportSetting.MAX_RECONNECT_SECONDS);
                System.out.println("MQTT push transport: " + mqttBroker);
            }
            System.out.println("enrolled " + r.certificate().getSubjectX500Principal().getName() + " serial "
                    + r.certificate().getSerialNumber().toString(16) + " issued by " + r.certificate().getIssuerX500Principal().getName());
            System.out.println("gateway " + r.deviceId() + " provisioned in " + r.home());
            return 0;
        } catch (ProvisionException e) {
            System.err.println("provisioning refused: " + e.getMessage());
            return 1;
        }
    }
}
