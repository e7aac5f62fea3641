package io.gantry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throwaway SoftHSM2 tokens for the tests of one JVM, in a token folder under {@code target/}: every
 * module's tests (and the gateway JVMs they start) use these, never tokens of their own.
 *
 * <p><b>The {@code SOFTHSM2_CONF} contract.</b> SoftHSM2 reads the path of its config file from the
 * process environment, and scans the token folder named there once, when SunPKCS11 (or any PKCS#11
 * wrapper) first initialises the module; a running JVM can neither change that variable nor see a
 * token created afterwards (its slot id is refused with CKR_SLOT_ID_INVALID). So:
 * <ul>
 * <li>the surefire or failsafe configuration of every module whose tests use a token sets
 *     {@code SOFTHSM2_CONF=${project.build.directory}/softhsm2/softhsm2.conf} for the forked JVM
 *     (modules {@code bundles/keystore}, {@code bundles/counter-pkcs11}, {@code pki}, {@code backend},
 *     {@code cli}, {@code integration-tests}); a process started by a test inherits it;</li>
 * <li>the first call here writes that file, wipes its {@code tokens} folder and creates every token
 *     below ({@link #MAIN}, {@link #OTHER}, {@link #FRESH}, {@link #DOOMED}) with random PINs, before
 *     any test opens a provider;</li>
 * <li>tests share these tokens and keep apart by their own key aliases and counter names.</li>
 * </ul>
 *
 * <p>Tests that need SoftHSM2 fail here, never skip, when it is missing or when run outside Maven.
 */
public final class SoftHsmTestTokens {
    /** The SoftHSM2 PKCS#11 module, as the Debian/Ubuntu package installs it. */
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    /** The token most tests use; each test uses its own key aliases and counter names on it. */
    public static final String MAIN = "gantry-main";
    /** A second token, to stand for a different token put in the slot. */
    public static final String OTHER = "gantry-other";
    /** Nobody logs in to this one with the right PIN, so a wrong PIN is really checked by C_Login. */
    public static final String FRESH = "gantry-fresh";
    /** Its files are deleted by a test of a token that goes away ({@link #deleteToken}). */
    public static final String DOOMED = "gantry-doomed";
    private static final List<String> LABELS = List.of(MAIN, OTHER, FRESH, DOOMED);
    private static final String NON_EXTRACTABLE_KEYGEN = "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
            + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    private static final AtomicInteger PROVIDERS = new AtomicInteger();

    private static Map<String, Long> slots;
    private static Path tokenDir;
    private static Path pinFile;
    private static Path configFile;

    private SoftHsmTestTokens() {
    }

    /** @return the PKCS#11 slot id of the token labelled {@code label} (one of the constants here) */
    public static synchronized long slot(String label) throws IOException, InterruptedException {
        init();
        Long slot = slots.get(label);
        if (slot == null) {
            throw new IllegalArgumentException("no test token labelled " + label + ": one of " + LABELS);
        }
        return slot;
    }

    /** @return a file holding the user PIN shared by every test token */
    public static synchronized Path pinFile() throws IOException, InterruptedException {
        init();
        return pinFile;
    }

    /**
     * @return a token config properties file (the {@code Pkcs11TokenConfig} format of the PKI library:
     *     library, slot and a pinFile relative to the file) for the {@link #MAIN} token
     */
    public static synchronized Path configFile() throws IOException, InterruptedException {
        if (configFile == null) {
            long slot = slot(MAIN);
            configFile = Files.writeString(pinFile.resolveSibling("main-token.properties"),
                    "library = " + LIBRARY + "\nslot = " + slot + "\npinFile = " + pinFile.getFileName() + "\n",
                    StandardCharsets.UTF_8);
        }
        return configFile;
    }

    /** Deletes the files of the token labelled {@code label}: to the module, the token is gone. */
    public static synchronized void deleteToken(String label) throws IOException, InterruptedException {
        slot(label);
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

    /**
     * @return a new SunPKCS11 provider on the token labelled {@code label} whose generated private keys
     *     are token objects, sensitive and not extractable (as a provisioning station makes them)
     */
    public static Provider provider(String label) throws IOException, InterruptedException {
        return Security.getProvider("SunPKCS11").configure("--name = gantry-test-" + PROVIDERS.incrementAndGet()
                + "\nlibrary = " + LIBRARY + "\nslot = " + slot(label) + "\n" + NON_EXTRACTABLE_KEYGEN);
    }

    /** @return the key store of the token labelled {@code label}, logged in with the test PIN */
    public static KeyStore login(String label) throws Exception {
        return login(provider(label));
    }

    /** @return the key store of the token behind {@code provider}, logged in with the test PIN */
    public static KeyStore login(Provider provider) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        ks.load(null, Files.readString(pinFile()).trim().toCharArray());
        return ks;
    }

    /** @return a P-256 key pair generated by {@code provider}; on a token, the private half stays there */
    public static KeyPair generateP256(Provider provider) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Has a CA certify a public key: returns the chain, leaf first. */
    @FunctionalInterface
    public interface Certifier {
        /** @return the certificate chain of {@code key}, leaf first */
        List<X509Certificate> certify(PublicKey key) throws Exception;
    }

    /**
     * What a provisioning station does for a gateway with a token: generates a non-extractable P-256
     * key on the token labelled {@code label}, has {@code ca} certify its public key, and stores the
     * chain beside the key under {@code alias}.
     *
     * @return the leaf certificate
     */
    public static X509Certificate provision(String label, String alias, Certifier ca) throws Exception {
        Provider p = provider(label);
        KeyStore token = login(p);
        KeyPair pair = generateP256(p);
        List<X509Certificate> chain = ca.certify(pair.getPublic());
        token.setKeyEntry(alias, pair.getPrivate(), null, chain.toArray(new Certificate[0]));
        return chain.get(0);
    }

    private static void init() throws IOException, InterruptedException {
        if (slots != null) {
            return;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven, whose surefire or "
                    + "failsafe configuration points it at target/softhsm2/softhsm2.conf");
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
        Map<String, Long> made = new LinkedHashMap<>();
        for (String label : LABELS) {
            made.put(label, initToken(label, randomPin(), pin));
        }
        pinFile = Files.writeString(dir.resolve("user.pin"), pin + "\n", StandardCharsets.UTF_8);
        tokenDir = tokens;
        slots = made;
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
