package io.gantry.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.SignatureScheme;
import io.gantry.testing.SoftHsmTestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing keys generated on a SoftHSM2 token: non-extractable, and their signatures pass the shared check. */
class Pkcs11SigningKeysTest {
    @TempDir
    Path dir;
    private Pkcs11TokenConfig token;

    @BeforeEach
    void setUp() throws Exception {
        token = Pkcs11TokenConfig.load(SoftHsmTestTokens.configFile());
    }

    @Test
    void keyIsGeneratedOnTheTokenAndOnlyThePublicKeyIsWritten() throws Exception {
        Path pub = Pkcs11SigningKeys.create(token, "rm-unit", dir, Clock.systemUTC());
        KeyPair pair = Pkcs11SigningKeys.load(token, "rm-unit");
        assertNull(pair.getPrivate().getEncoded(), "the token must not reveal the private key");
        assertEquals(PemFiles.readPublicKey(pub), pair.getPublic());
    }

    @Test
    void tokenKeySignaturesVerifyWithTheSharedScheme() throws Exception {
        Path pub = Pkcs11SigningKeys.create(token, "rm-check", dir, Clock.systemUTC());
        KeyPair pair = Pkcs11SigningKeys.load(token, "rm-check");
        byte[] metadata = "{\"schema\":\"gantry.release/1\"}".getBytes(StandardCharsets.UTF_8);
        var signature = ReleaseSigning.sign(metadata, pair.getPrivate(), pair.getPublic());
        assertEquals(KeyIds.of(PemFiles.readPublicKey(pub)), signature.keyId());
        assertTrue(SignatureScheme.ECDSA_P256_SHA256.verifies(PemFiles.readPublicKey(pub), metadata, signature.value()),
                "a token signature verifies with the scheme every verifier uses");
    }

    @Test
    void refusesToReplaceAKeyOnTheToken() throws Exception {
        Pkcs11SigningKeys.create(token, "rm-twice", dir, Clock.systemUTC());
        assertThrows(FileAlreadyExistsException.class,
                () -> Pkcs11SigningKeys.create(token, "rm-twice", dir.resolve("elsewhere"), Clock.systemUTC()));
    }

    @Test
    void refusesAnUnknownAlias() {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> Pkcs11SigningKeys.load(token, "no-such-signer"));
        assertTrue(e.getMessage().contains("no signing key 'no-such-signer'"), e.getMessage());
    }
}
