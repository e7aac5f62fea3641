package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signature format is verifiable by a standard tool outside Java: openssl. */
class OpensslInteropTest {
    @TempDir
    Path dir;

    private int openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Files.writeString(dir.resolve("openssl.out"), out);
        return rc;
    }

    @Test
    void opensslVerifiesGenuineAndRejectsTamperedMetadata() throws Exception {
        KeyPair k = ReleaseFormatTest.ecKey();
        byte[] metadata = MetadataJson.write(ReleaseFormatTest.metadata());
        ReleaseSignature sig = ReleaseSigning.sign(metadata, k.getPrivate(), k.getPublic());
        PemFiles.writePublicKey(dir.resolve("pub.pem"), k.getPublic());
        Files.write(dir.resolve("sig.der"), sig.value());
        Files.write(dir.resolve("release.json"), metadata);
        assertEquals(0, openssl("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "release.json"));
        assertTrue(Files.readString(dir.resolve("openssl.out")).contains("Verified OK"));

        metadata[10] ^= 1;
        Files.write(dir.resolve("release.json"), metadata);
        assertNotEquals(0, openssl("dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "release.json"));
    }

    @Test
    void signatureMadeByOpensslPassesGantrysCheck() throws Exception {
        assertEquals(0, openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem"));
        assertEquals(0, openssl("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"));
        Files.write(dir.resolve("release.json"), MetadataJson.write(ReleaseFormatTest.metadata()));
        assertEquals(0, openssl("dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "release.json"));
        PublicKey pub = PemFiles.readPublicKey(dir.resolve("pub.pem"));
        TrustedKey key = new TrustedKey(KeyIds.of(pub), "openssl-signer", SignatureScheme.ECDSA_P256_SHA256, pub);
        Role role = Role.of("releases/1", 1, List.of(key.keyId()));
        TrustRoot root = new TrustRoot(1, java.time.Instant.MAX, Map.of(key.keyId(), key), role, Map.of(1, role),
                List.of(), java.util.Set.of());
        List<ReleaseSignature> sigs = List.of(new ReleaseSignature(key.keyId(), Files.readAllBytes(dir.resolve("sig.der"))));
        assertEquals(List.of(key), ThresholdCheck.verifiedSigners(Files.readAllBytes(dir.resolve("release.json")), sigs, role, root));
    }
}
