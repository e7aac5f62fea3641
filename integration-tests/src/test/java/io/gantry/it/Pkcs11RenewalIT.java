package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.CertificateProfile;
import io.gantry.pki.PkiDirectory;
import io.gantry.release.TrustRootFiles;
import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose device key lives on a SoftHSM2 token renews over the backend's real EST
 * endpoint, in its own JVM, without a restart: the new key is generated on the token and stays
 * there, and the gateway starts again on the renewed entry, removing the replaced one.
 *
 * <p>The token is provisioned here as a provisioning station would: key generated on the token
 * (non-extractable), certified by the PKI's CA, chain stored beside it. The CA runs on a clock set
 * back so that the certificate has 45 days left: inside the 90-day renewal window. The token is the
 * shared test token ({@link SoftHsmTestTokens}); the gateway JVM inherits {@code SOFTHSM2_CONF}. The verifier of the same
 * gateway keeps its anti-rollback counters on that token ({@code Pkcs11MonotonicCounter}), beside
 * the SunPKCS11 provider of the device key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11RenewalIT {
    static final String GATEWAY = "gw-token";
    static final String LIBRARY = SoftHsmTestTokens.LIBRARY;
    /** The token of the device key and of the verifier's counters. */
    static final String TOKEN = SoftHsmTestTokens.MAIN;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final PrintStream LOG = System.out;

    @TempDir
    static Path work;
    Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
    BackendServer backend;
    ManagementClient mgmt;
    GatewayProcess gateway;
    Path home;
    long slot;
    Path pinFile;
    X509Certificate provisioned;

    @BeforeAll
    void provisionTokenBackendAndGateway() throws Exception {
        Clock clock = Clock.systemUTC();
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, clock);
        pki.issueOperator("operator");
        slot = SoftHsmTestTokens.slot(TOKEN);
        pinFile = SoftHsmTestTokens.pinFile();
        provisioned = provisionDeviceKey(pki);

        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trustRoot = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trustRoot)
                .withPollingSleep(Duration.ofSeconds(1)), EnrollmentConfig.fromPki(pki), clock);
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        home = writeHome(pki, trustRoot);
        gateway = GatewayProcess.start(dist, home, LOG::println);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    @Order(1)
    void tokenIdentityIsRenewedOverEstWithoutARestart() throws Exception {
        // A due attempt that waited for the verifier's policy source runs as soon as the source binds.
        String renewed = gateway.awaitLine(l -> l.contains("device certificate renewed"), TIMEOUT);
        String serial = renewed.replaceAll(".*serial ([0-9a-f]+).*", "$1");
        assertEquals("GOOD", mgmt.certificate(serial).path("status").asText());

        KeyStore token = login();
        List<String> aliases = Collections.list(token.aliases());
        assertEquals(List.of("device", "device#1"), aliases.stream().filter(a -> a.startsWith("device")).sorted().toList(),
                "the renewed entry beside the provisioned one (kept until the next start), no pending key left");
        X509Certificate now = (X509Certificate) token.getCertificate("device#1");
        assertEquals(serial, now.getSerialNumber().toString(16));
        assertEquals(provisioned.getSubjectX500Principal(), now.getSubjectX500Principal());
        assertFalse(now.getPublicKey().equals(provisioned.getPublicKey()), "a renewal is a re-key");
        assertTrue(now.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(365))));
        Key key = token.getKey("device#1", null);
        assertNull(key.getEncoded(), "the renewed key cannot leave the token");
        // The running gateway goes on polling, now with the renewed key.
        awaitPollAfter(Instant.now());
    }

    private void awaitPollAfter(Instant t) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Instant.parse(mgmt.target(GATEWAY).path("lastSeen").asText()).isBefore(t)) {
            assertTrue(System.nanoTime() < deadline, "no poll since " + t);
            Thread.sleep(500);
        }
    }

    @Test
    @Order(2)
    void gatewayStartsAgainOnTheRenewedTokenEntry() throws Exception {
        gateway.close();
        Instant restart = Instant.now();
        gateway = GatewayProcess.start(dist, home, LOG::println);
        gateway.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
        // A poll with the renewed certificate: the backend sees the target again after the restart.
        awaitPollAfter(restart);
        assertEquals(List.of("device#1"), Collections.list(login().aliases()).stream()
                .filter(a -> a.startsWith("device")).toList(), "the start removed the replaced entry");
        assertFalse(gateway.lines().stream().anyMatch(l -> l.contains("device certificate renewed")),
                "a five-year certificate is not renewed again");
    }

    @Test
    @Order(3)
    void verifierKeepsItsCountersOnTheSameToken() throws Exception {
        String line = gateway.awaitLine(l -> l.contains("anti-rollback counters:"), TIMEOUT);
        assertTrue(line.contains("PKCS#11 token objects on token '" + TOKEN + "'"), line);
        assertFalse(gateway.lines().stream().anyMatch(l -> l.contains("counters.properties")),
                "the file counter is not the one in use");
    }

    /** Key on the token, certificate from the CA 45 days before expiry, chain stored beside the key. */
    private X509Certificate provisionDeviceKey(PkiDirectory pki) throws Exception {
        Clock issuedEarlier = Clock.offset(Clock.systemUTC(), Duration.ofDays(45).minus(CertificateProfile.DEVICE_VALIDITY));
        return SoftHsmTestTokens.provision(TOKEN, "device",
                key -> PkiDirectory.open(pki.dir(), issuedEarlier).loadIntermediateCa().issueDevice(GATEWAY, key));
    }

    private static KeyStore login() throws Exception {
        return SoftHsmTestTokens.login(TOKEN);
    }

    private Path writeHome(PkiDirectory pki, Path trustRoot) throws Exception {
        Path dir = work.resolve("gateway");
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path trust = Files.createDirectories(dir.resolve("trust"));
        Path anchor = Files.copy(pki.rootCaPem(), Files.createDirectories(dir.resolve("identity")).resolve("root-ca.pem"));
        Files.copy(trustRoot, trust.resolve("trust-root.json"));
        Files.copy(TrustRootFiles.signaturesOf(trustRoot), TrustRootFiles.signaturesOf(trust.resolve("trust-root.json")));
        Files.writeString(conf.resolve("io.gantry.keystore.pkcs11.config"), String.join("\n",
                "library=" + quote(LIBRARY), "slot=I\"" + slot + "\"", "pinFile=" + quote(pinFile),
                "keyAlias=\"device\"", "trustAnchorPath=" + quote(anchor)) + "\n");
        // The anti-rollback counters on the same token, beside the device key.
        Files.writeString(conf.resolve("io.gantry.counter.pkcs11.config"), String.join("\n",
                "library=" + quote(LIBRARY), "tokenLabel=" + quote(TOKEN), "pinFile=" + quote(pinFile)) + "\n");
        Files.writeString(conf.resolve("io.gantry.verifier.config"), "trustRootPath=" + quote(trust.resolve("trust-root.json"))
                + "\nminimumThreshold=I\"2\"\ncounters.target=\"(gantry.counter=pkcs11)\"\n");
        Files.writeString(conf.resolve("io.gantry.agent.config"), "backendUrl=" + quote(backend.baseUri())
                + "\ntenant=\"DEFAULT\"\npollSeconds=I\"1\"\n");
        Files.writeString(conf.resolve("io.gantry.renewal.config"), "backendUrl=" + quote(backend.baseUri())
                + "\ntenant=\"DEFAULT\"\n");
        return dir;
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
