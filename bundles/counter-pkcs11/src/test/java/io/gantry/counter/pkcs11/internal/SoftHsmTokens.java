package io.gantry.counter.pkcs11.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throwaway SoftHSM2 tokens for the tests of one JVM, under {@code target/softhsm2} (as the keystore
 * bundle's tests make them). SoftHSM2 reads {@code SOFTHSM2_CONF} (set by surefire, see the pom) and
 * scans its token folder when the module is first initialised, so every token is created up front.
 * Tests fail here, never skip, when SoftHSM2 is missing.
 */
final class SoftHsmTokens {
    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    /** Counters of most tests; each test uses its own counter names. */
    static final String MAIN = "counter-main";
    /** A second token, to stand for a different token put in the slot. */
    static final String OTHER = "counter-other";
    /** Its files are deleted by the test of a token that goes away. */
    static final String DOOMED = "counter-doomed";

    private static final Map<String, Long> SLOTS = new HashMap<>();
    private static Path tokenDir;
    private static Path pinFile;

    private SoftHsmTokens() {
    }

    /** @return a file holding the user PIN of every test token */
    static synchronized Path pinFile() throws IOException, InterruptedException {
        init();
        return pinFile;
    }

    /** @return the PKCS#11 slot id of the token labelled {@code label} */
    static synchronized long slot(String label) throws IOException, InterruptedException {
        init();
        return SLOTS.get(label);
    }

    /** Deletes the files of the token labelled {@code label}: to the module, the token is gone. */
    static synchronized void deleteToken(String label) throws IOException, InterruptedException {
        init();
        try (Stream<Path> dirs = Files.list(tokenDir)) {
            for (Path dir : dirs.toList()) {
                byte[] object = Files.readAllBytes(dir.resolve("token.object"));
                if (new String(object, StandardCharsets.ISO_8859_1).contains(label)) {
                    deleteTree(dir);
                    return;
                }
            }
        }
        throw new IllegalStateException("no token folder for " + label);
    }

    private static void init() throws IOException, InterruptedException {
        if (pinFile != null) {
            return;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven (see the pom)");
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
        for (String label : List.of(MAIN, OTHER, DOOMED)) {
            SLOTS.put(label, initToken(label, randomPin(), pin));
        }
        Path file = dir.resolve("user.pin");
        Files.writeString(file, pin + "\n", StandardCharsets.UTF_8);
        tokenDir = tokens;
        pinFile = file;
    }

    private static long initToken(String label, String soPin, String pin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
                "--so-pin", soPin, "--pin", pin).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("softhsm2-util --init-token failed (exit " + exit + "): " + out);
        }
        return Long.parseLong(m.group(1));
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
