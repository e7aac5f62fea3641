package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activation rules of {@link Pkcs11KeyStore}: a bad configuration or an exportable key means no identity. */
class Pkcs11KeyStoreActivationTest {
    @TempDir
    Path dir;
    private TestPki pki;
    private Path trust;
    private int slot;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki();
        trust = pki.writeRoot(dir.resolve("root.pem"));
        slot = Math.toIntExact(SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN));
    }

    @Test
    void offersTheTokenKeysIdentityAndChain() throws Exception {
        X509Certificate device = SoftHsmTestTokens.provision(SoftHsmTestTokens.MAIN, "gw-ok", key -> List.of(pki.device("gw-ok", key), pki.issuer));
        Pkcs11KeyStore identity = new Pkcs11KeyStore(Pkcs11Configs.softHsm(slot, "gw-ok", trust).build());
        try {
            assertEquals("gw-ok", identity.deviceId());
            assertEquals(device, identity.certificateChain().get(0));
            assertEquals(pki.issuer, identity.certificateChain().get(1));
            assertEquals(2, identity.certificateChain().size());
        } finally {
            identity.deactivate();
        }
    }

    @Test
    void deactivationUninstallsItsProvider() throws Exception {
        SoftHsmTestTokens.provision(SoftHsmTestTokens.MAIN, "gw-bye", key -> List.of(pki.device("gw-bye", key), pki.issuer));
        Pkcs11KeyStore identity = new Pkcs11KeyStore(Pkcs11Configs.softHsm(slot, "gw-bye", trust).build());
        String name = identity.toString().replaceAll(".* on (\\S+)]$", "$1");
        assertTrue(Security.getProvider(name) != null, name);
        identity.deactivate();
        assertEquals(null, Security.getProvider(name));
    }

    @Test
    void refusesAWrongPin() throws Exception {
        Path wrongPin = Files.writeString(dir.resolve("wrong.pin"), "not-the-pin\n");
        TestConfigs<Pkcs11KeyStoreConfig> config = Pkcs11Configs.softHsm(Math.toIntExact(SoftHsmTestTokens.slot(SoftHsmTestTokens.FRESH)), "gw", trust)
                .with("pinFile", wrongPin.toString());
        assertRefused(config, "token refused the PIN");
    }

    @Test
    void refusesAnEmptyPinFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pin"), " \n");
        assertRefused(Pkcs11Configs.softHsm(slot, "gw", trust).with("pinFile", empty.toString()), "PIN file is empty");
    }

    @Test
    void refusesAMissingKeyAlias() throws Exception {
        assertRefused(Pkcs11Configs.softHsm(slot, "no-such-key", trust), "no key entry 'no-such-key'");
    }

    @Test
    void refusesAKeyTheTokenWouldReveal() throws Exception {
        // A provider whose key generation template allows export, as a careless provisioning tool might use.
        Provider careless = Security.getProvider("SunPKCS11").configure("--name = careless\nlibrary = "
                + SoftHsmTestTokens.LIBRARY + "\nslot = " + slot + "\nattributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n  CKA_SENSITIVE = false\n  CKA_EXTRACTABLE = true\n}\n");
        KeyStore token = TokenKeys.login(careless, SoftHsmTestTokens.pinFile());
        KeyPair pair = SoftHsmTestTokens.generateP256(careless);
        token.setKeyEntry("gw-soft", pair.getPrivate(), null,
                new Certificate[] {pki.device("gw-soft", pair.getPublic()), pki.issuer});
        assertRefused(Pkcs11Configs.softHsm(slot, "gw-soft", trust), "extractable");
    }

    @Test
    void refusesAMissingModule() throws Exception {
        assertRefused(Pkcs11Configs.softHsm(slot, "gw", trust).with("library", "/nonexistent/libpkcs11.so"),
                "PKCS#11 module not found");
    }

    @Test
    void refusesAnUnknownSlot() throws Exception {
        assertRefused(Pkcs11Configs.softHsm(424242, "gw", trust), "cannot open slot = 424242");
    }

    @Test
    void refusesBothSlotSelectors() throws Exception {
        assertRefused(Pkcs11Configs.softHsm(slot, "gw", trust).with("slotListIndex", 0), "exactly one of slot");
    }

    @Test
    void refusesAnUnsetPinFile() throws Exception {
        assertRefused(Pkcs11Configs.softHsm(slot, "gw", trust).with("pinFile", null), "pinFile is not set");
    }

    @Test
    void refusesATrustAnchorFileWithoutCertificates() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertRefused(Pkcs11Configs.softHsm(slot, "gw", trust).with("trustAnchorPath", empty.toString()),
                "no trust anchor");
    }

    private static void assertRefused(TestConfigs<Pkcs11KeyStoreConfig> config, String reason) {
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> new Pkcs11KeyStore(config.build()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
