package io.gantry.backend.revocation;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** Serial numbers as the registry keys them: lower-case hex of the positive integer, no leading zeros. */
public final class Serials {
    private Serials() {
    }

    /** @return the registry key of {@code serial} */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    /**
     * Normalises an operator's spelling ({@code 0A:1B}, {@code 0x0a1b}, {@code 0A1B}).
     *
     * @throws IllegalArgumentException unless it is 1-40 hex digits naming a positive number
     */
    public static String parse(String text) {
        String t = text == null ? "" : text.strip().replace(":", "").toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (!t.matches("[0-9a-f]{1,40}") || new BigInteger(t, 16).signum() <= 0) {
            throw new IllegalArgumentException("not a certificate serial (hex): " + text);
        }
        return hex(new BigInteger(t, 16));
    }

    /** @return hex SHA-256 of the certificate's DER encoding */
    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash certificate " + certificate.getSerialNumber(), e);
        }
    }
}
