package io.gantry.testing.fleet;

import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.provision.GatewayHomeLayout;
import io.gantry.provision.GatewaySettings;
import io.gantry.provision.MqttTransportSetting;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Provisions a gateway home with the layout and configuration of {@code gantry gateway provision}
 * ({@link GatewayHomeLayout}), but with the identity the local PKI issued directly instead of one
 * enrolled over EST: the device's PKCS#12 identity, the root CA it trusts for the backend, the
 * release trust root, and the configuration of its bundles as FileInstall {@code .config} files.
 */
public final class GatewayHome {
    /** The file that injects a fault into a simulated sensor (the example plugin's {@code Fault.FILE}). */
    private static final String FAULT_FILE = "inject-fault";
    private final Path home;

    private GatewayHome(Path home) {
        this.home = home;
    }

    /**
     * @param home the folder to provision
     * @param pki the PKI holding {@code devices/<deviceId>.p12}
     * @param deviceId the gateway's device id (its certificate CN)
     * @param trustRoot the release trust root to provision (trust-root.json; its signatures beside it)
     * @param backend the backend URL
     * @param sensors ids of the simulated Acme sensors behind the gateway
     */
    public static GatewayHome provision(Path home, PkiDirectory pki, String deviceId, Path trustRoot,
            URI backend, List<String> sensors) throws IOException {
        GatewayHomeLayout layout = new GatewayHomeLayout(home);
        Path p12 = pki.deviceKeyStore(deviceId);
        Files.createDirectories(layout.identity().getParent());
        Files.copy(p12, layout.identity(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Pkcs12Files.passwordFile(p12), Pkcs12Files.passwordFile(layout.identity()), StandardCopyOption.REPLACE_EXISTING);
        layout.installTrust(pki.rootCaPem(), trustRoot);
        // A short soak keeps a local fleet quick; a production gateway keeps the default (60 s).
        layout.writeConfiguration(new GatewaySettings(backend, "DEFAULT", 1, sensors, 2,
                Map.of("soakSeconds", "3", "soakCheckSeconds", "1")));
        return new GatewayHome(home);
    }

    /**
     * Sets up the local hawkBit DDI endpoint for Linux devices (bundle {@code io.gantry.localddi}):
     * a gateway-local CA made here, the endpoint's server certificate from it (SAN 127.0.0.1 and
     * localhost) in {@code local-ddi/server.p12}, the CA the devices' client certificates come from,
     * and {@code conf/io.gantry.localddi.config}.
     *
     * @param deviceCa PEM of the CA that issues the devices' certificates
     * @param port the endpoint's port on 127.0.0.1
     * @param devices the devices' controller ids
     * @return the gateway-local CA's certificate (PEM), which the devices pin
     */
    public Path localDdi(Path deviceCa, int port, List<String> devices) throws IOException, GeneralSecurityException {
        Path dir = Files.createDirectories(home.resolve("local-ddi"));
        CertificateAuthority ca = CertificateAuthority.createRoot("gateway-local-ca-" + home.getFileName(),
                Clock.systemUTC());
        Path p12 = dir.resolve("server.p12");
        Pkcs12Files.write(p12, ca.issueServer("gateway-local-ddi", List.of("127.0.0.1", "localhost")));
        Path caPem = dir.resolve("local-ca.pem");
        PemCertificates.write(caPem, List.of(ca.certificate()));
        Path clientCa = dir.resolve("device-ca.pem");
        Files.copy(deviceCa, clientCa, StandardCopyOption.REPLACE_EXISTING);
        new GatewayHomeLayout(home).write("io.gantry.localddi", "deviceType=\"swupdate-device\"",
                "deviceIds=[" + devices.stream().map(GatewayHomeLayout::quote).collect(Collectors.joining(",")) + "]",
                "listenAddress=\"127.0.0.1\"", "port=I\"" + port + "\"",
                "serverKeyStorePath=" + GatewayHomeLayout.quote(p12), "serverPasswordFile=" + GatewayHomeLayout.quote(Pkcs12Files.passwordFile(p12)),
                "clientCaPath=" + GatewayHomeLayout.quote(clientCa), "cacheDir=" + GatewayHomeLayout.quote(home.resolve("state/local-ddi-cache")),
                "pollSeconds=I\"1\"", "crlRefreshSeconds=I\"1\"");
        return caPem;
    }

    /**
     * Turns on the gateway's MQTT push transport (bundle {@code io.gantry.transport.mqtt}):
     * {@code conf/io.gantry.transport.mqtt.config} naming the broker; it connects with the
     * gateway's device certificate.
     *
     * @param brokerUrl {@code ssl://host:port}
     */
    public void mqtt(String brokerUrl) throws IOException {
        try {
            // A local fleet reconnects quickly; provisioning writes the production default.
            MqttTransportSetting.write(new GatewayHomeLayout(home), brokerUrl, 5);
        } catch (io.gantry.provision.ProvisionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Writes the update coordinator's settings ({@code conf/coordinator.properties}), read at the next start. */
    public void coordinatorSettings(String... lines) throws IOException {
        Files.writeString(home.resolve("conf").resolve("coordinator.properties"), String.join("\n", lines) + "\n");
    }

    /** @return the home folder */
    public Path dir() {
        return home;
    }

    /** @return the simulated sensor's boot state (active slot, version), empty before first use */
    public Properties sensorState(String sensorId) throws IOException {
        Properties p = new Properties();
        Path f = home.resolve("sensors").resolve(sensorId).resolve("boot.properties");
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
        }
        return p;
    }

    /**
     * Injects a fault into a simulated sensor (the example plugin reads it at each update):
     * TRANSFER_INTERRUPTED, BOOT_FAILURE, NO_CONFIRMATION or FLASH_FULL.
     */
    public void injectSensorFault(String sensorId, String fault) throws IOException {
        Path dir = Files.createDirectories(home.resolve("sensors").resolve(sensorId));
        Files.writeString(dir.resolve(FAULT_FILE), fault);
    }

    /** Removes an injected fault: the sensor is repaired. */
    public void repairSensor(String sensorId) throws IOException {
        Files.deleteIfExists(home.resolve("sensors").resolve(sensorId).resolve(FAULT_FILE));
    }
}
