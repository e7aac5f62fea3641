package io.gantry.counter.pkcs11.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Finds the configured token of a PKCS#11 module.
 *
 * <p>The module is shared with every other user in the JVM (SunPKCS11 for the device key loads the
 * same library): C_Initialize answering CKR_CRYPTOKI_ALREADY_INITIALIZED is normal, and this class
 * never calls C_Finalize, which would end the other users' sessions too.
 */
final class TokenSlots {
    private TokenSlots() {
    }

    /**
     * @param slot PKCS#11 slot id, or a negative number to select by {@code label}
     * @param label token label (CKA_LABEL of the token, trailing blanks ignored), or empty
     * @return the token in that slot
     * @throws IOException if the arguments are inconsistent, or the module, slot or token is missing
     */
    static Token open(String library, long slot, String label) throws IOException {
        if (library == null || library.isBlank() || !Files.isRegularFile(Path.of(library))) {
            throw new IOException("PKCS#11 module not found: " + library);
        }
        boolean byLabel = label != null && !label.isBlank();
        if ((slot >= 0) == byLabel) {
            throw new IOException("set exactly one of slot (" + slot + ") and tokenLabel ('" + label + "')");
        }
        WrapperLog.install();
        try {
            PKCS11Module module = PKCS11Module.getInstance(library);
            try {
                module.initialize();
            } catch (PKCS11Exception e) {
                if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
                    throw e;
                }
            }
            for (Slot s : module.getSlotList(true)) {
                if (byLabel ? label.trim().equals(labelOf(s)) : s.getSlotID() == slot) {
                    return s.getToken();
                }
            }
        } catch (TokenException e) {
            throw new IOException("cannot use PKCS#11 module " + library + ": " + e.getMessage(), e);
        }
        throw new IOException("no token " + (byLabel ? "labelled '" + label + "'" : "in slot " + slot) + " of " + library);
    }

    /** @return the token's label, or null for a slot whose token does not answer (it is not ours to judge) */
    private static String labelOf(Slot slot) {
        try {
            return slot.getToken().getTokenInfo().getLabel().trim();
        } catch (TokenException e) {
            return null;
        }
    }
}
