package io.gantry.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A loaded PKCS#12 key store with the password that opens it (key and store share one password).
 *
 * @param file where it was loaded from
 * @param keyStore the store; it holds one key entry under {@link Pkcs12Files#ALIAS}
 * @param password the password, read from the {@code .pass} file beside the store
 */
public record ProtectedKeyStore(Path file, KeyStore keyStore, char[] password) {
    /** Copies the password so the caller may zero its own array. */
    public ProtectedKeyStore {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyStore, "keyStore");
        password = password.clone();
    }

    @Override
    public char[] password() {
        return password.clone();
    }

    /** @return the private key of the single entry */
    public PrivateKey privateKey() throws GeneralSecurityException {
        return (PrivateKey) keyStore.getKey(Pkcs12Files.ALIAS, password);
    }

    /** @return the certificate chain of the single entry, leaf first */
    public List<X509Certificate> chain() throws GeneralSecurityException {
        Certificate[] chain = keyStore.getCertificateChain(Pkcs12Files.ALIAS);
        if (chain == null) {
            throw new GeneralSecurityException(file + " has no key entry " + Pkcs12Files.ALIAS);
        }
        return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
    }

    @Override
    public String toString() {
        return "ProtectedKeyStore[" + file + "]";
    }
}
