package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.tls.RevocationPolicy;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trust-root create --tls-pin-cert}: the root CA's key becomes the gateway's backend pin, signed with the root. */
class TrustRootTlsCliTest {
    @TempDir
    Path dir;

    @Test
    void pinsTheRootCaKeyWithHardFailByDefaultAndRefusesAServerCertificateAsPin() throws Exception {
        Path pki = dir.resolve("pki");
        assertEquals(0, run("pki", "init", "--dir", pki.toString()));
        assertEquals(0, run("pki", "device", "--dir", pki.toString(), "--id", "dev-1"));
        Path keys = Files.createDirectories(dir.resolve("keys"));
        for (String name : new String[] {"root-1", "root-2", "alice", "bob"}) {
            assertEquals(0, run("key", "create", "--dir", keys.toString(), "--name", name));
        }
        Path rootCa = pki.resolve("root/root-ca.pem");
        Path out = dir.resolve("trust/trust-root.json");
        String[] base = {"trust-root", "create", "--out", out.toString(),
            "--key", "root-1=" + keys.resolve("root-1.pub.pem"), "--key", "root-2=" + keys.resolve("root-2.pub.pem"),
            "--key", "alice=" + keys.resolve("alice.pub.pem"), "--key", "bob=" + keys.resolve("bob.pub.pem"),
            "--root", "2:root-1,root-2", "--releases", "1:2:alice,bob"};
        assertNotEquals(0, run(concat(base, "--tls-pin-cert", pki.resolve("devices/dev-1.pem").toString())),
                "a server or device key is never a pin");
        assertEquals(0, run(concat(base, "--tls-pin-cert", rootCa.toString())));
        TrustRoot root = TrustRootJson.parse(TrustRootFiles.read(out).bytes());
        assertEquals(Set.of(spkiSha256(rootCa)), root.tls().pinnedSpkiSha256());
        assertEquals(RevocationPolicy.HARD_FAIL, root.tls().revocation());
        assertTrue(new String(TrustRootFiles.read(out).bytes()).contains("\"revocation\":\"hard-fail\""));
    }

    private static String spkiSha256(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static int run(String... args) {
        CommandLine cli = GantryCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }
}
