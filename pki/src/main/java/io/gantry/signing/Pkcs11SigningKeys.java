package io.gantry.signing;

import io.gantry.release.PemFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;

/**
 * Release-signing keys on a PKCS#11 token (an HSM; SoftHSM2 for development). The private key is
 * generated on the token as sensitive and non-extractable and signs there; only the public key
 * ({@code <name>.pub.pem}) leaves. On the token the key sits under the alias {@code <name>} with a
 * self-signed holder certificate, as the PKCS#11 key store requires.
 */
public final class Pkcs11SigningKeys {
    private Pkcs11SigningKeys() {
    }

    /**
     * Generates an ECDSA P-256 key pair on the token and writes the public key.
     *
     * @return {@code <pubDir>/<name>.pub.pem}
     * @throws FileAlreadyExistsException if the token already has the alias or the public key file exists
     */
    public static Path create(Pkcs11TokenConfig config, String name, Path pubDir, Clock clock)
            throws IOException, GeneralSecurityException {
        Path pub = pubDir.resolve(name + ".pub.pem");
        if (Files.exists(pub)) {
            throw new FileAlreadyExistsException(pub.toString(), null, "refusing to replace a public key file");
        }
        Pkcs11Tokens.Session token = Pkcs11Tokens.open(config);
        if (token.keyStore().containsAlias(name)) {
            throw new FileAlreadyExistsException(name, null, "the token already holds a key of that name");
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", token.provider());
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        token.keyStore().setKeyEntry(name, pair.getPrivate(), null,
                new Certificate[] {HolderCertificates.selfSigned(name, pair, token.provider(), clock)});
        Files.createDirectories(pubDir);
        PemFiles.writePublicKey(pub, pair.getPublic());
        return pub;
    }

    /**
     * @return the public key (from the holder certificate) and a handle to the private key on the token
     * @throws GeneralSecurityException if the alias is missing or the token would reveal the key
     */
    public static KeyPair load(Pkcs11TokenConfig config, String alias) throws IOException, GeneralSecurityException {
        KeyStore ks = Pkcs11Tokens.open(config).keyStore();
        if (!ks.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no signing key '" + alias + "' on the token");
        }
        Key key = ks.getKey(alias, null);
        // SunPKCS11 encodes a private key exactly when the token hands out its value.
        if (!(key instanceof PrivateKey) || key.getEncoded() != null) {
            throw new GeneralSecurityException("signing key '" + alias + "' is not a non-extractable private key");
        }
        return new KeyPair(ks.getCertificate(alias).getPublicKey(), (PrivateKey) key);
    }
}
