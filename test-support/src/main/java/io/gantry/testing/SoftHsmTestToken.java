package io.gantry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One throwaway SoftHSM2 token for the tests of this JVM, in a token folder under {@code target/},
 * and a token config file ({@link Pkcs11TokenConfig} format) pointing at it.
 *
 * <p>Why one token made up front: SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment
 * (surefire sets it, see the pom) and scans its token folder once, when SunPKCS11 first initialises
 * the module; a token created afterwards gets a slot id the running module refuses
 * (CKR_SLOT_ID_INVALID). Tests use distinct key names on this token instead.
 *
 * <p>Tests that need SoftHSM2 fail here, never skip, when it is missing.
 */
public final class SoftHsmTestToken {
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static Path configFile;

    private SoftHsmTestToken() {
    }

    /** @return a token config properties file: library, slot and pinFile of the test token */
    public static synchronized Path configFile() throws IOException, InterruptedException {
        if (configFile == null) {
            configFile = create();
        }
        return configFile;
    }

    private static Path create() throws IOException, InterruptedException {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven, whose surefire "
                    + "configuration points it at target/softhsm2/softhsm2.conf");
        }
        if (!Files.isRegularFile(Path.of(LIBRARY))) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + LIBRARY + "): run scripts/install-test-deps.sh");
        }
        Path dir = Path.of(conf).getParent();
        Path tokens = dir.resolve("tokens");
        deleteTree(tokens);
        Files.createDirectories(tokens);
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
        String pin = randomPin();
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "gantry-signing-test",
                "--so-pin", randomPin(), "--pin", pin).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("softhsm2-util --init-token failed (exit " + exit + "): " + out);
        }
        Files.writeString(dir.resolve("signing.pin"), pin + "\n", StandardCharsets.UTF_8);
        return Files.writeString(dir.resolve("signing-token.properties"),
                "library = " + LIBRARY + "\nslot = " + m.group(1) + "\npinFile = signing.pin\n", StandardCharsets.UTF_8);
    }

    private static String randomPin() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
