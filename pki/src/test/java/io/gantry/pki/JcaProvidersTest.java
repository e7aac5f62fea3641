package io.gantry.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The JVM's one private BouncyCastle instance that every user of its JCA services shares. */
class JcaProvidersTest {
    @Test
    void everyCallerGetsTheSameBouncyCastleInstance() {
        assertSame(JcaProviders.bouncyCastle(), JcaProviders.bouncyCastle(), "one instance: each holds a few thousand services");
        assertSame(JcaProviders.BC, JcaProviders.bouncyCastle(), "the instance the CA signs with");
        assertEquals("BC", JcaProviders.bouncyCastle().getName());
        assertNotNull(JcaProviders.bouncyCastle().getService("Signature", "SHA256withECDSA"));
    }
}
