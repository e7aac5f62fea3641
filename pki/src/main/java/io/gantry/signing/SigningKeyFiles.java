package io.gantry.signing;

import io.gantry.pki.EcKeys;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.release.PemFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

/**
 * A release signer's key pair as files: {@code <name>.p12} (+ {@code .pass}) holds the private key,
 * {@code <name>.pub.pem} the public key that a trust root names in its roles ({@code gantry trust-root create}).
 * The certificate inside the PKCS#12 is only the container PKCS#12 requires (self-signed, not a
 * CA, digitalSignature only); trust comes from the trust root's roles, never from this certificate.
 * For production keys use a PKCS#11 token instead of a file ({@link Pkcs11SigningKeys}).
 */
public final class SigningKeyFiles {
    private SigningKeyFiles() {
    }

    /** @return the public key file written beside {@code <dir>/<name>.p12} */
    public static Path create(Path dir, String name, Clock clock) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path p12 = dir.resolve(name + ".p12");
        if (Files.exists(p12)) {
            throw new FileAlreadyExistsException(p12.toString(), null, "refusing to replace a signing key");
        }
        KeyPair pair = EcKeys.generateP256();
        Pkcs12Files.write(p12, new IssuedCredential(pair.getPrivate(),
                List.of(HolderCertificates.selfSigned(name, pair, null, clock))));
        Path pub = dir.resolve(name + ".pub.pem");
        PemFiles.writePublicKey(pub, pair.getPublic());
        return pub;
    }

    /** @return the key pair in a signing key's PKCS#12 file */
    public static KeyPair load(Path p12) throws IOException, GeneralSecurityException {
        ProtectedKeyStore store = Pkcs12Files.load(p12);
        return new KeyPair(store.chain().get(0).getPublicKey(), store.privateKey());
    }
}
