package io.gantry.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Writes and reads PKCS#12 key stores, each protected by its own random password kept beside it
 * in {@code <store>.pass} (owner read/write only where the file system has POSIX permissions).
 * There is no default password; files are never overwritten.
 *
 * <p>The chain is written as plain JDK certificates: BouncyCastle's PKCS#12 key store (the default
 * one when BouncyCastle is the first provider) writes the bag attributes a BouncyCastle certificate
 * object carries from the store it was read from, so an intermediate read from its own Gantry store
 * would be written with friendly name {@value #ALIAS} too, and BouncyCastle would then read it back
 * as the entry's leaf (a server presenting its intermediate as its own certificate).
 */
public final class Pkcs12Files {
    /** Alias of the single key entry in every store. */
    public static final String ALIAS = "gantry";
    /** Suffix of the password file beside a store. */
    public static final String PASSWORD_SUFFIX = ".pass";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs12Files() {
    }

    /** @return the password file of {@code store} */
    public static Path passwordFile(Path store) {
        return store.resolveSibling(store.getFileName() + PASSWORD_SUFFIX);
    }

    /**
     * Writes {@code credential} as a new store with a fresh random password.
     *
     * @throws FileAlreadyExistsException if the store or its password file exists
     */
    public static void write(Path store, IssuedCredential credential) throws IOException, GeneralSecurityException {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, credential.privateKey(), password, plain(credential.chain()));
        Files.createDirectories(store.toAbsolutePath().getParent());
        writePrivate(passwordFile(store), new String(password).getBytes(StandardCharsets.US_ASCII));
        try (OutputStream out = newPrivateFile(store)) {
            ks.store(out, password);
        }
    }

    /** @return {@code chain} parsed again by the JDK's X.509 factory: certificates without carried PKCS#12 bag attributes */
    private static Certificate[] plain(List<X509Certificate> chain) throws GeneralSecurityException {
        CertificateFactory jdk = CertificateFactory.getInstance("X.509", "SUN");
        Certificate[] out = new Certificate[chain.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = jdk.generateCertificate(new ByteArrayInputStream(chain.get(i).getEncoded()));
        }
        return out;
    }

    /** Loads a store with the password from its {@code .pass} file. */
    public static ProtectedKeyStore load(Path store) throws IOException, GeneralSecurityException {
        return load(store, passwordFile(store));
    }

    /** Loads a store with the password from {@code passwordFile} (first line, surrounding blanks trimmed). */
    public static ProtectedKeyStore load(Path store, Path passwordFile) throws IOException, GeneralSecurityException {
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        if (password.length == 0) {
            throw new GeneralSecurityException(passwordFile + " is empty: refusing a key store without a password");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        return new ProtectedKeyStore(store, ks, password);
    }

    /** Writes {@code bytes} to a new file readable only by its owner. */
    static void writePrivate(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = newPrivateFile(file)) {
            out.write(bytes);
        }
    }

    private static OutputStream newPrivateFile(Path file) throws IOException {
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.createFile(file, ownerOnly);
        } else {
            Files.createFile(file);
        }
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
