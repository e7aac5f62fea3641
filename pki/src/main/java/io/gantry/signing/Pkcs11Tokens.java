package io.gantry.signing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens a PKCS#11 token through the JDK's SunPKCS11 provider and logs in. Key pairs generated
 * through the returned provider live on the token and are sensitive and non-extractable.
 */
final class Pkcs11Tokens {
    private static final String NON_EXTRACTABLE_KEYGEN = "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
            + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** A logged-in token: its provider (installed) and its key store. */
    record Session(Provider provider, KeyStore keyStore) {
    }

    private Pkcs11Tokens() {
    }

    /**
     * Configures a provider for the token, installs it (release signing and certificate signing look
     * up {@code SHA256withECDSA} among installed providers, and only this one can use a token key)
     * and logs in with the PIN from the config's PIN file.
     */
    static Session open(Pkcs11TokenConfig config) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(Path.of(config.library())) || config.library().contains("\n")) {
            throw new GeneralSecurityException("PKCS#11 module not found: " + config.library());
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new GeneralSecurityException("no SunPKCS11 provider: the JVM lacks module jdk.crypto.cryptoki");
        }
        String selector = config.slot() >= 0 ? "slot = " + config.slot() : "slotListIndex = " + config.slotListIndex();
        Provider provider;
        try {
            // A leading "--" makes configure() read the argument as config text, not as a file name.
            provider = base.configure("--name = gantry-signing-" + INSTANCES.incrementAndGet() + "\nlibrary = "
                    + config.library() + "\n" + selector + "\n" + NON_EXTRACTABLE_KEYGEN);
        } catch (InvalidParameterException | ProviderException e) {
            throw new GeneralSecurityException("cannot open " + selector + " of " + config.library() + ": " + root(e), e);
        }
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        char[] pin = readPin(config.pinFile());
        try {
            ks.load(null, pin);
        } catch (IOException e) {
            String why = e.getCause() instanceof UnrecoverableKeyException ? "token refused the PIN from "
                    + config.pinFile() : "cannot log in to the token: " + e.getMessage();
            throw new GeneralSecurityException(why, e);
        } finally {
            Arrays.fill(pin, '\0');
        }
        Security.addProvider(provider);
        return new Session(provider, ks);
    }

    private static char[] readPin(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        char[] all = new char[chars.remaining()];
        chars.get(all);
        Arrays.fill(chars.array(), '\0');
        int from = 0;
        int to = all.length;
        while (from < to && Character.isWhitespace(all[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(all[to - 1])) {
            to--;
        }
        char[] pin = Arrays.copyOfRange(all, from, to);
        Arrays.fill(all, '\0');
        if (pin.length == 0) {
            throw new GeneralSecurityException("PIN file is empty: " + file);
        }
        return pin;
    }

    private static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
