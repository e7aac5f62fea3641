package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.backend.tls.BouncyCastleEcProvider;
import java.nio.file.Path;
import java.security.Security;
import java.security.Signature;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A started backend has BouncyCastle's EC operations first in its JVM, the JDK's for everything else, and serves devices. */
class BackendEcProviderTest {
    @TempDir
    Path tmp;

    @Test
    void backendInstallsBouncyCastleEcFirstAndKeepsTheJdkForTheRest() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp)) {
            assertEquals(BouncyCastleEcProvider.NAME, Security.getProviders()[0].getName());
            assertEquals(BouncyCastleEcProvider.NAME, Signature.getInstance("SHA256withECDSA").getProvider().getName());
            assertEquals(BouncyCastleEcProvider.NAME, javax.crypto.KeyAgreement.getInstance("XDH").getProvider().getName());
            assertEquals("SunJCE", Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
            assertEquals("SunJSSE", javax.net.ssl.SSLContext.getInstance("TLS").getProvider().getName());
            assertEquals(200, BackendFixture.get(backend.device("ec-device"), backend.controller("ec-device")).statusCode());
        }
    }
}
