package io.gantry.keystore.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens one slot of a PKCS#11 module through the JDK's SunPKCS11 provider, using only
 * {@code java.security} API: the bundle imports no {@code sun.*} package, so it resolves in any
 * framework whose JVM has the {@code jdk.crypto.cryptoki} module.
 *
 * <p>Every key pair generated through the returned provider is created on the token and is
 * sensitive and non-extractable (the {@code attributes(generate, ...)} template below).
 * SunPKCS11 on Java 17 selects a token by slot id or slot list index only, not by label.
 */
final class SunPkcs11Slots {
    /** PKCS#11 attributes for key pairs generated through the provider (SunPKCS11 config syntax). */
    static final String NON_EXTRACTABLE_KEYGEN = "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
            + "  CKA_TOKEN = true\n  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";

    // Provider names must be unique per JVM: Security.addProvider ignores a second one of a name.
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private SunPkcs11Slots() {
    }

    /**
     * @param library path of the PKCS#11 module (a shared library)
     * @param slot PKCS#11 slot id, or -1 to select by {@code slotListIndex}
     * @param slotListIndex index into the module's slot list, or -1 to select by {@code slot}
     * @return a new, not yet installed SunPKCS11 provider bound to that slot
     * @throws GeneralSecurityException if the arguments are inconsistent or the module refuses
     */
    static Provider open(String library, int slot, int slotListIndex) throws GeneralSecurityException {
        // The path becomes one line of the provider config: a line break would inject settings.
        if (library == null || library.isBlank() || library.contains("\n") || library.contains("\r")
                || !Files.isRegularFile(Path.of(library))) {
            throw new GeneralSecurityException("PKCS#11 module not found: " + library);
        }
        if ((slot >= 0) == (slotListIndex >= 0)) {
            throw new GeneralSecurityException("set exactly one of slot (" + slot + ") and slotListIndex ("
                    + slotListIndex + ")");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new GeneralSecurityException("no SunPKCS11 provider: the JVM lacks module jdk.crypto.cryptoki");
        }
        String selector = slot >= 0 ? "slot = " + slot : "slotListIndex = " + slotListIndex;
        // A leading "--" makes configure() read the argument as the config text, not a file name.
        String config = "--name = gantry-" + INSTANCES.incrementAndGet() + "\n"
                + "library = " + library + "\n" + selector + "\n" + NON_EXTRACTABLE_KEYGEN;
        try {
            return base.configure(config);
        } catch (InvalidParameterException | ProviderException e) {
            throw new GeneralSecurityException("cannot open " + selector + " of PKCS#11 module " + library + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
