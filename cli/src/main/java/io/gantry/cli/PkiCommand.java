package io.gantry.cli;

import io.gantry.pki.FactoryCredentials;
import io.gantry.pki.IntermediateRotation;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline CA chores. The root key is only ever loaded here, never by a server. */
@Command(name = "pki", description = "Create the CA hierarchy and issue device and operator certificates.")
final class PkiCommand {

    @Command(name = "init", description = "Create root, intermediate and server credentials in a new folder.")
    int init(@Option(names = "--dir", required = true, description = "PKI folder") Path dir,
            @Option(names = "--san", description = "server DNS name or IP (repeatable; default localhost, 127.0.0.1)") List<String> sans,
            @Option(names = "--revocation-url", defaultValue = "http://127.0.0.1:" + RevocationEndpoints.DEFAULT_PORT,
                    description = "base of the CRL and OCSP URLs in certificates: the backend's plain-HTTP listener "
                            + "(default ${DEFAULT-VALUE})") String revocationUrl)
            throws Exception {
        PkiDirectory.create(dir, sans == null ? PkiDirectory.DEFAULT_SERVER_SANS : sans, RevocationEndpoints.of(revocationUrl),
                Clock.systemUTC());
        System.out.println("created PKI in " + dir.toAbsolutePath() + "; trust anchor " + dir.resolve("root/root-ca.pem"));
        return 0;
    }

    @Command(name = "device", description = "Issue a device certificate and key: devices/<id>.p12 (+ .pass).")
    int device(@Option(names = "--dir", required = true, description = "PKI folder") Path dir, @Option(names = "--id", required = true, description = "device id (the certificate's CN)") String id)
            throws Exception {
        System.out.println("issued " + PkiDirectory.open(dir, Clock.systemUTC()).issueDevice(id));
        return 0;
    }

    @Command(name = "operator", description = "Issue an operator (management API) certificate and key: operators/<name>.p12 (+ .pass).")
    int operator(@Option(names = "--dir", required = true, description = "PKI folder") Path dir, @Option(names = "--name", required = true, description = "operator name (the certificate's CN)") String name,
            @Option(names = "--role", description = "operator role the certificate carries: viewer, operator, release-manager "
                    + "or security-officer (repeatable; without it, all four)") List<String> roles)
            throws Exception {
        OperatorRole[] granted = roles == null || roles.isEmpty() ? OperatorRole.values()
                : roles.stream().map(OperatorRole::parse).distinct().toArray(OperatorRole[]::new);
        System.out.println("issued " + PkiDirectory.open(dir, Clock.systemUTC()).issueOperator(name, granted) + " with roles "
                + java.util.Arrays.stream(granted).map(OperatorRole::cliName).toList());
        return 0;
    }
    @Command(name = "push-identity", description = "Issue the backend's push identity for an external MQTT broker: "
            + "CN=backend:<name>, OU=backend (backend/<name>.p12 + .pass; docs/mqtt.md).")
    int pushIdentity(@Option(names = "--dir", required = true, description = "PKI folder") Path dir,
            @Option(names = "--name", defaultValue = "gantry-push", description = "its name (default: ${DEFAULT-VALUE}); the "
                    + "broker's ACL knows it as backend:<name>") String name) throws Exception {
        System.out.println("issued " + PkiDirectory.open(dir, Clock.systemUTC()).issuePushIdentity(name) + " (user backend:" + name
                + " in the broker's ACL)");
        return 0;
    }

    @Command(name = "factory", description = "Issue a one-time factory credential (OU=factory) for a device's first EST "
            + "enrollment; the key is generated here (factory/<id>.p12).")
    int factory(@Option(names = "--dir", required = true, description = "PKI folder") Path dir, @Option(names = "--id", required = true, description = "device id (the certificate's CN)") String id,
            @Option(names = "--days", defaultValue = "30", description = "validity in days (default ${DEFAULT-VALUE})") int days)
            throws Exception {
        System.out.println("issued " + FactoryCredentials.issue(PkiDirectory.open(dir, Clock.systemUTC()), id,
                java.time.Duration.ofDays(days)));
        return 0;
    }

    @Command(name = "sign-csr", description = "Offline batch enrollment: issue a device certificate for a PKCS#10 request "
            + "(PEM or DER) whose CN is the device id; writes the chain as PEM.")
    int signCsr(@Option(names = "--dir", required = true, description = "PKI folder") Path dir, @Option(names = "--id", required = true, description = "device id (the certificate's CN)") String id,
            @Option(names = "--csr", required = true, description = "PKCS#10 request, PEM or DER") Path csr,
            @Option(names = "--out", required = true, description = "PEM file for the issued chain") Path out)
            throws Exception {
        byte[] bytes = java.nio.file.Files.readAllBytes(csr);
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN")) {
            bytes = java.util.Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        }
        var chain = PkiDirectory.open(dir, Clock.systemUTC()).issueDeviceFromCsr(id,
                new org.bouncycastle.pkcs.PKCS10CertificationRequest(bytes));
        io.gantry.pki.PemCertificates.write(out, chain);
        System.out.println("issued " + chain.get(0).getSubjectX500Principal().getName() + " to " + out);
        return 0;
    }

    @Command(name = "rotate-intermediate", description = "Issue a new intermediate from the root and make it the issuing CA; "
            + "the old one is kept (intermediate/superseded/) until retire-intermediate. Restart the backend.")
    int rotateIntermediate(@Option(names = "--dir", required = true, description = "PKI folder") Path dir) throws Exception {
        var next = IntermediateRotation.rotate(PkiDirectory.open(dir, Clock.systemUTC()), Clock.systemUTC());
        System.out.println("new issuing CA " + next.getSubjectX500Principal().getName() + " serial "
                + next.getSerialNumber().toString(16));
        return 0;
    }

    @Command(name = "retire-intermediate", description = "Revoke every superseded intermediate in a root-signed CRL "
            + "(root/retired-intermediates.crl); a backend restarted with it refuses their chains.")
    int retireIntermediate(@Option(names = "--dir", required = true, description = "PKI folder") Path dir) throws Exception {
        var serials = IntermediateRotation.retireSuperseded(PkiDirectory.open(dir, Clock.systemUTC()), Clock.systemUTC());
        System.out.println("retired " + serials.size() + " intermediate(s): "
                + serials.stream().map(s -> s.toString(16)).toList());
        return 0;
    }
}
