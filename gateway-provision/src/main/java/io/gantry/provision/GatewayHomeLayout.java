package io.gantry.provision;

import io.gantry.pki.Pkcs12Files;
import io.gantry.release.TrustRootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a gateway home keeps what, and the FileInstall configuration (Felix typed format, one
 * {@code conf/<pid>.config} per component) that points the bundles at it.
 */
public final class GatewayHomeLayout {
    private final Path home;

    /** @param home the gateway home folder */
    public GatewayHomeLayout(Path home) {
        this.home = home.toAbsolutePath();
    }

    /** @return the home folder */
    public Path home() {
        return home;
    }

    /** @return {@code identity/device.p12}, the gateway's TLS identity (password in {@code device.p12.pass}) */
    public Path identity() {
        return home.resolve("identity").resolve("device.p12");
    }

    /** @return {@code identity/root-ca.pem}, the root the backend's certificate must chain to */
    public Path backendCa() {
        return home.resolve("identity").resolve("root-ca.pem");
    }

    /** @return {@code trust/trust-root.json}, the release trust root (signatures beside it) */
    public Path trustRoot() {
        return home.resolve("trust").resolve("trust-root.json");
    }

    /** @return {@code conf/}, read by FileInstall */
    public Path conf() {
        return home.resolve("conf");
    }

    /** @return {@code sensors/}, the flash of the example plugin's simulated devices */
    public Path sensors() {
        return home.resolve("sensors");
    }

    /** Copies the backend CA and the trust root with its signatures into the home. */
    public void installTrust(Path backendCa, Path trustRoot) throws IOException {
        Files.createDirectories(backendCa().getParent());
        Files.createDirectories(trustRoot().getParent());
        Files.copy(backendCa, backendCa(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(trustRoot, trustRoot(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TrustRootFiles.signaturesOf(trustRoot), TrustRootFiles.signaturesOf(trustRoot()),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes every bundle's configuration and the coordinator's settings from {@code settings}. */
    public void writeConfiguration(GatewaySettings settings) throws IOException {
        Files.createDirectories(conf());
        write("io.gantry.keystore.file", "keystorePath=" + quote(identity()),
                "passwordFile=" + quote(Pkcs12Files.passwordFile(identity())), "trustAnchorPath=" + quote(backendCa()));
        List<String> verifier = new ArrayList<>(List.of("trustRootPath=" + quote(trustRoot())));
        if (settings.minimumThreshold() != null) {
            verifier.add("minimumThreshold=I\"" + settings.minimumThreshold() + "\"");
        }
        write("io.gantry.verifier", verifier.toArray(String[]::new));
        write("io.gantry.agent", "backendUrl=" + quote(settings.backend()), "tenant=" + quote(settings.tenant()),
                "pollSeconds=I\"" + settings.pollSeconds() + "\"");
        write("io.gantry.renewal", "backendUrl=" + quote(settings.backend()), "tenant=" + quote(settings.tenant()));
        write("io.gantry.metrics", "path=" + quote(metricsFile()));
        // Each sensor is provisioned with the release keys of this trust root at its first start, and checks every release itself.
        write("com.acme.gantry.sensor", "devicesDir=" + quote(sensors()),
                "deviceIds=[" + settings.deviceIds().stream().map(GatewayHomeLayout::quote).collect(Collectors.joining(",")) + "]",
                "trustRootPath=" + quote(trustRoot()));
        Files.writeString(conf().resolve("coordinator.properties"), settings.coordinatorProperties());
    }

    /** @return {@code state/metrics.prom}, the gateway's metrics for a node_exporter textfile collector (docs/metrics.md) */
    public Path metricsFile() {
        return home.resolve("state").resolve("metrics.prom");
    }

    /** Writes one bundle's configuration, {@code conf/<pid>.config}, atomically (FileInstall format). */
    public void write(String pid, String... lines) throws IOException {
        Path target = conf().resolve(pid + ".config");
        // FileInstall polls conf/: it must never see a half-written file, nor a temporary one.
        Path tmp = home.resolve("." + pid + ".config.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the value as a quoted FileInstall string */
    public static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
