package io.gantry.testing.fleet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a SWUpdate image as an integrator would, with stock tools: a {@code sw-description}
 * (libconfig) naming one file and its SHA-256, its CMS signature ({@code openssl cms -sign},
 * DER, as Debian's signed-images-only build requires), and a {@code cpio -H crc} archive of the
 * three. The signer's certificate is {@code signer.crt} in the work folder ({@code swupdate -k}).
 */
public final class SwuImages {
    private SwuImages() {
    }

    /** @return the {@code .swu} bytes that install {@code content} at {@code target} */
    public static byte[] signed(Path work, String version, String filename, byte[] content, Path target) throws Exception {
        Path image = Files.createDirectories(work.resolve("image-" + version));
        Files.write(image.resolve(filename), content);
        Files.writeString(image.resolve("sw-description"), String.join("\n",
                "software =",
                "{",
                "  version = \"" + version + "\";",
                "  hardware-compatibility: [ \"1.0\" ];",
                "  files: (",
                "    {",
                "      filename = \"" + filename + "\";",
                "      path = \"" + target.toAbsolutePath() + "\";",
                "      sha256 = \"" + sha256(content) + "\";",
                "      create-destination = true;",
                "    }",
                "  );",
                "}", ""), StandardCharsets.UTF_8);
        if (!Files.exists(work.resolve("signer.crt"))) {
            run(work, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "signer.key",
                    "-out", "signer.crt", "-subj", "/CN=swu-signer", "-days", "2");
        }
        run(image, "openssl", "cms", "-sign", "-in", "sw-description", "-out", "sw-description.sig",
                "-signer", work.resolve("signer.crt").toString(), "-inkey", work.resolve("signer.key").toString(),
                "-outform", "DER", "-nosmimecap", "-binary");
        Path swu = work.resolve("update-" + version + ".swu");
        // cpio reads the member names from standard input; sw-description must come first.
        Path list = image.resolve("members.txt");
        Files.write(list, List.of("sw-description", "sw-description.sig", filename));
        run(image, "sh", "-c", "cpio -o -H crc < members.txt > '" + swu + "'");
        return Files.readAllBytes(swu);
    }

    /** @return the hex SHA-256 of {@code bytes}, as sw-description names it */
    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
