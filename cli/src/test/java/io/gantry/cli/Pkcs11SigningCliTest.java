package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.ReleaseKind;
import io.gantry.release.ArchiveCheck;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.ReleaseBuilder;
import io.gantry.testing.SoftHsmTestTokens;
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

/**
 * The two-person workflow through the CLI, one signer on a SoftHSM2 token and one with a file key:
 * trust root created and signed by two root holders; a release refused below threshold by verify
 * and finish, accepted once the second person signed.
 */
class Pkcs11SigningCliTest {
    @TempDir
    Path dir;

    @Test
    void twoPersonReleaseWithOneTokenKeyAndOneFileKey() throws Exception {
        String config = SoftHsmTestTokens.configFile().toString();
        Path keys = Files.createDirectories(dir.resolve("keys"));
        assertEquals(0, run("key", "create", "--pkcs11", config, "--name", "rm-cli", "--dir", keys.toString()));
        Path pub = keys.resolve("rm-cli.pub.pem");
        assertTrue(Files.isRegularFile(pub));
        assertEquals(List.of(), Files.list(keys).filter(p -> !p.equals(pub)).toList(), "only the public key is written");
        for (String name : List.of("bob", "root-1", "root-2")) {
            assertEquals(0, run("key", "create", "--dir", keys.toString(), "--name", name));
        }
        Path root = dir.resolve("trust/trust-root.json");
        assertEquals(0, run("trust-root", "create", "--out", root.toString(),
                "--key", "root-1=" + keys.resolve("root-1.pub.pem"), "--key", "root-2=" + keys.resolve("root-2.pub.pem"),
                "--key", "rm-cli=" + pub, "--key", "bob=" + keys.resolve("bob.pub.pem"),
                "--root", "2:root-1,root-2", "--releases", "1:2:rm-cli,bob"));
        assertEquals(GantryCli.REJECTED, run("trust-root", "verify", root.toString()), "unsigned trust root");
        assertEquals(0, run("trust-root", "sign", "--key", keys.resolve("root-1.p12").toString(), root.toString()));
        assertEquals(0, run("trust-root", "sign", "--key", keys.resolve("root-2.p12").toString(), root.toString()));
        assertEquals(0, run("trust-root", "verify", root.toString()));

        Path archive = dir.resolve("fw.gantry");
        Map<String, Path> payloads = new LinkedHashMap<>();
        payloads.put("sensor.img", Files.write(dir.resolve("sensor.img"), new byte[] {1, 2, 3}));
        ReleaseBuilder.buildUnsigned(archive, "acme-sensor-fw", "1.1.0", ReleaseKind.FIRMWARE, "acme-sensor", "rm-cli",
                Instant.now(), payloads);
        assertEquals(0, run("release", "sign", "--pkcs11", config, "--key-alias", "rm-cli", archive.toString()));
        Path finished = dir.resolve("fw-final.gantry");
        assertEquals(GantryCli.REJECTED, run("release", "verify", "--trust-root", root.toString(), archive.toString()),
                "one of two signatures: below threshold");
        assertEquals(GantryCli.REJECTED, run("release", "finish", "--trust-root", root.toString(), "--out",
                finished.toString(), archive.toString()));
        assertTrue(Files.notExists(finished), "nothing is finished below threshold");

        assertEquals(0, run("release", "sign", "--key", keys.resolve("bob.p12").toString(), archive.toString()));
        assertEquals(0, run("release", "verify", "--trust-root", root.toString(), archive.toString()));
        assertEquals(0, run("release", "finish", "--trust-root", root.toString(), "--out", finished.toString(),
                archive.toString()));
        try (ArchiveReleaseSource src = ReleaseArchive.open(finished)) {
            ReleaseAuthorization.Authorized a = ArchiveCheck.check(src, ReleaseCommand.loadTrustRoot(root), Instant.now());
            assertEquals(List.of("rm-cli", "bob"), a.signerNames());
            assertTrue(a.signerKeyIds().contains(KeyIds.of(PemFiles.readPublicKey(pub))));
        }
    }

    @Test
    void signRefusesAFileKeyAndATokenKeyAtOnce() throws Exception {
        String config = SoftHsmTestTokens.configFile().toString();
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
