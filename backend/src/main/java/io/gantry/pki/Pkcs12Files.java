package io.gantry.pki;

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
import java.util.Base64;

/**
 * Writes and reads PKCS#12 key stores, each protected by its own random password kept beside it
 * in {@code <store>.pass} (owner read/write only where the file system has POSIX permissions).
 * There is no default password; files are never overwritten.
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
        ks.setKeyEntry(ALIAS, credential.privateKey(), password, credential.chain().toArray(new Certificate[0]));
        Files.createDirectories(store.toAbsolutePath().getParent());
        writePrivate(passwordFile(store), new String(password).getBytes(StandardCharsets.US_ASCII));
        try (OutputStream out = newPrivateFile(store)) {
            ks.store(out, password);
        }
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
