package io.gantry.keystore.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throwaway SoftHSM2 tokens for the tests of one JVM, in a token folder under {@code target/}.
 *
 * <p>Why the tokens are made once, up front: SoftHSM2 reads {@code SOFTHSM2_CONF} from the process
 * environment (surefire sets it, see the pom) and scans its token folder once, when SunPKCS11 first
 * initialises the module; a token created afterwards gets a slot id the running module refuses
 * (CKR_SLOT_ID_INVALID). Each test uses its own key alias on these tokens instead.
 *
 * <p>Tests that need SoftHSM2 fail here, never skip, when it is missing.
 */
final class SoftHsmTestTokens {
    static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    /** Tests log in to this token freely. */
    static final String MAIN = "gantry-test";
    /** Nobody logs in to this one with the right PIN, so a wrong PIN is really checked by C_Login. */
    static final String NEVER_LOGGED_IN = "gantry-test-fresh";

    private static Map<String, Integer> slots;
    private static Path pinFile;

    private SoftHsmTestTokens() {
    }

    /** @return the PKCS#11 slot id of the token labelled {@code label} */
    static synchronized int slot(String label) throws IOException, InterruptedException {
        init();
        return slots.get(label);
    }

    /** @return a file holding the user PIN shared by every test token */
    static synchronized Path pinFile() throws IOException, InterruptedException {
        init();
        return pinFile;
    }

    private static void init() throws IOException, InterruptedException {
        if (slots != null) {
            return;
        }
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
        Map<String, Integer> made = new LinkedHashMap<>();
        for (String label : new String[] {MAIN, NEVER_LOGGED_IN}) {
            made.put(label, initToken(label, randomPin(), pin));
        }
        pinFile = dir.resolve("user.pin");
        Files.writeString(pinFile, pin + "\n", StandardCharsets.UTF_8);
        slots = made;
    }

    private static int initToken(String label, String soPin, String pin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", label,
                "--so-pin", soPin, "--pin", pin).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("softhsm2-util --init-token failed (exit " + exit + "): " + out);
        }
        return Integer.parseInt(m.group(1));
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
