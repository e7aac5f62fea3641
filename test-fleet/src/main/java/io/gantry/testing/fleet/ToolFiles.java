package io.gantry.testing.fleet;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A device identity as files for third-party clients (curl, swupdate): certificates as PEM, the
 * private key as unencrypted PKCS#8 PEM beside them, in a test's own folder.
 */
public final class ToolFiles {
    private ToolFiles() {
    }

    /**
     * @param leafOnly whether to write the leaf alone, as many device stacks send it
     * @return {certificate file, key file}
     */
    public static Path[] write(ProtectedKeyStore identity, Path dir, String name, boolean leafOnly) throws Exception {
        List<X509Certificate> chain = leafOnly ? List.of(identity.chain().get(0)) : identity.chain();
        Path cert = dir.resolve(name + (leafOnly ? ".leaf.pem" : ".chain.pem"));
        PemCertificates.write(cert, chain);
        Path key = dir.resolve(name + ".key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(identity.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Path[] {cert, key};
    }
}
