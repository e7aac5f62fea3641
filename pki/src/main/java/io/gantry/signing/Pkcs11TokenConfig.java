package io.gantry.signing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Properties;
import java.util.Set;

/**
 * Which PKCS#11 token holds the signing keys, read from a small properties file (docs/keys.md):
 *
 * <pre>
 * library = /usr/lib/softhsm/libsofthsm2.so
 * slot = 1234567890            # or: slotListIndex = 0
 * pinFile = signing-token.pin  # relative to this file's folder
 * </pre>
 *
 * The file names the PIN file and never holds a PIN. SunPKCS11 on Java 17 selects a token by slot
 * id or slot list index only, so there is no token label setting.
 *
 * @param library the PKCS#11 module
 * @param slot the token's slot id, or -1
 * @param slotListIndex the index into the module's slot list, or -1; exactly one of the two is set
 * @param pinFile the file holding the user PIN
 */
public record Pkcs11TokenConfig(String library, int slot, int slotListIndex, Path pinFile) {
    private static final Set<String> KEYS = Set.of("library", "slot", "slotListIndex", "pinFile");

    /**
     * @throws GeneralSecurityException if a setting is missing, unknown, malformed, or a PIN value
     */
    public static Pkcs11TokenConfig load(Path file) throws IOException, GeneralSecurityException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.equalsIgnoreCase("pin")) {
                throw new GeneralSecurityException(file + ": a PIN does not belong in the token config; "
                        + "write it to a file and name that file with pinFile");
            }
            if (!KEYS.contains(key)) {
                throw new GeneralSecurityException(file + ": unknown setting '" + key + "' (allowed: " + KEYS + ")");
            }
        }
        String library = required(p, "library", file);
        int slot = number(p, "slot", file);
        int index = number(p, "slotListIndex", file);
        if ((slot >= 0) == (index >= 0)) {
            throw new GeneralSecurityException(file + ": set exactly one of slot and slotListIndex");
        }
        Path dir = file.toAbsolutePath().getParent();
        return new Pkcs11TokenConfig(library, slot, index, dir.resolve(required(p, "pinFile", file)));
    }

    private static String required(Properties p, String key, Path file) throws GeneralSecurityException {
        String v = p.getProperty(key, "").trim();
        if (v.isEmpty()) {
            throw new GeneralSecurityException(file + ": " + key + " is not set");
        }
        return v;
    }

    private static int number(Properties p, String key, Path file) throws GeneralSecurityException {
        String v = p.getProperty(key, "").trim();
        if (v.isEmpty()) {
            return -1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException(v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new GeneralSecurityException(file + ": " + key + " must be a non-negative integer, got '" + v + "'");
        }
    }
}
