package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.PemCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline batch enrollment: an openssl-made CSR signed by the CLI; a CSR for another id is refused. */
class SignCsrCommandTest {
    @TempDir
    Path tmp;

    @Test
    void signsAnOpensslCsrAndRefusesOneForAnotherDevice() throws Exception {
        Path dir = tmp.resolve("pki");
        assertEquals(0, GantryCli.commandLine().execute("pki", "init", "--dir", dir.toString()));
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "dev-9.key",
                "-subj", "/CN=dev-9/OU=devices/O=Gantry", "-out", "dev-9.csr");
        assertEquals(0, GantryCli.commandLine().execute("pki", "sign-csr", "--dir", dir.toString(), "--id", "dev-9",
                "--csr", tmp.resolve("dev-9.csr").toString(), "--out", tmp.resolve("dev-9.pem").toString()));
        List<X509Certificate> chain = PemCertificates.read(tmp.resolve("dev-9.pem"));
        assertEquals("CN=dev-9,OU=devices,O=Gantry", chain.get(0).getSubjectX500Principal().getName());
        Files.writeString(tmp.resolve("chain.pem"), PemCertificates.toPem(chain.subList(1, chain.size())), StandardCharsets.US_ASCII);
        assertTrue(openssl("verify", "-CAfile", dir.resolve("root/root-ca.pem").toString(), "-untrusted", "chain.pem",
                "dev-9.pem").contains("OK"));

        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "x.key",
                "-subj", "/CN=dev-10", "-out", "dev-10.csr");
        assertNotEquals(0, GantryCli.commandLine().execute("pki", "sign-csr", "--dir", dir.toString(), "--id", "dev-11",
                "--csr", tmp.resolve("dev-10.csr").toString(), "--out", tmp.resolve("dev-11.pem").toString()));
        assertTrue(Files.notExists(tmp.resolve("dev-11.pem")));
    }

    private String openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
