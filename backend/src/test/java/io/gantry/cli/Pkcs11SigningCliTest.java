package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.ReleaseKind;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.SignatureCheck;
import io.gantry.release.TrustedKeys;
import io.gantry.signing.SoftHsmTestToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gantry key create --pkcs11} and {@code gantry release sign --pkcs11} against a SoftHSM2 token. */
class Pkcs11SigningCliTest {
    @TempDir
    Path dir;

    @Test
    void releaseSignedWithATokenKeyVerifiesAgainstItsPublicKeyPem() throws Exception {
        String config = SoftHsmTestToken.configFile().toString();
        Path trust = Files.createDirectories(dir.resolve("trust"));
        assertEquals(0, run("key", "create", "--pkcs11", config, "--name", "rm-cli", "--dir", trust.toString()));
        Path pub = trust.resolve("rm-cli.pub.pem");
        assertTrue(Files.isRegularFile(pub));
        assertEquals(List.of(), Files.list(trust).filter(p -> !p.equals(pub)).toList(), "only the public key is written");

        Path archive = dir.resolve("fw.gantry");
        Map<String, Path> payloads = new LinkedHashMap<>();
        payloads.put("sensor.img", Files.write(dir.resolve("sensor.img"), new byte[] {1, 2, 3}));
        ReleaseBuilder.buildUnsigned(archive, "acme-sensor-fw", "1.1.0", ReleaseKind.FIRMWARE, "acme-sensor", "rm-cli",
                Instant.now(), payloads);
        assertEquals(0, run("release", "sign", "--pkcs11", config, "--key-alias", "rm-cli", archive.toString()));

        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            List<String> signers = SignatureCheck.verify(src.metadata(), src.signatures(), TrustedKeys.load(trust));
            assertEquals(List.of(KeyIds.of(PemFiles.readPublicKey(pub))), signers);
        }
        assertEquals(0, run("release", "verify", "--trust", trust.toString(), archive.toString()),
                "the CLI's own verify accepts it too");
    }

    @Test
    void signRefusesAFileKeyAndATokenKeyAtOnce() throws Exception {
        String config = SoftHsmTestToken.configFile().toString();
        assertEquals(1, run("release", "sign", "--key", dir.resolve("k.p12").toString(), "--pkcs11", config,
                "--key-alias", "x", dir.resolve("a.gantry").toString()));
        assertEquals(1, run("release", "sign", "--pkcs11", config, dir.resolve("a.gantry").toString()));
    }

    private static int run(String... args) {
        CommandLine cli = GantryCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }
}
