package io.gantry.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads and writes public keys as PEM ("PUBLIC KEY", DER SubjectPublicKeyInfo), the form
 * {@code openssl pkey -pubout} writes. Written by hand because the JDK has no PEM codec and the
 * gateway should not carry BouncyCastle just to strip two header lines.
 */
public final class PemFiles {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private PemFiles() {
    }

    /** @return the PEM text of {@code key} */
    public static String publicKeyPem(PublicKey key) {
        return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n" + END + "\n";
    }

    /** Writes {@code key} as PEM. */
    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        Files.writeString(file, publicKeyPem(key), StandardCharsets.US_ASCII);
    }

    /**
     * @return the EC public key in {@code file}
     * @throws GeneralSecurityException if the file is not a PEM EC public key
     */
    public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException(file + " is not a PEM public key");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e));
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    }
}
