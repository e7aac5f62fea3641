package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestPki;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS 1.3 on loopback where the client's key signs on the token. */
class Pkcs11KeyStoreTlsTest {
    @TempDir
    Path dir;
    private TestPki pki;
    private int slot;
    private X509Certificate device;
    private Pkcs11KeyStore identity;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki();
        slot = Math.toIntExact(SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN));
        // A decoy from the same CA on the same token: the identity must present only its own alias.
        SoftHsmTestTokens.provision(SoftHsmTestTokens.MAIN, "tls-decoy", key -> List.of(pki.device("decoy", key), pki.issuer));
        device = SoftHsmTestTokens.provision(SoftHsmTestTokens.MAIN, "tls-gw", key -> List.of(pki.device("gw-tls", key), pki.issuer));
        identity = new Pkcs11KeyStore(Pkcs11Configs.softHsm(slot, "tls-gw", pki.writeRoot(dir.resolve("root.pem"))).build());
        identity.tlsPolicies = Optional::empty; // a running verifier whose trust root has no tls object
    }

    @AfterEach
    void tearDown() {
        identity.deactivate();
    }

    @Test
    void keyManagerChoosesTheConfiguredTokenKey() throws Exception {
        KeyStore token = TokenKeys.login(SunPkcs11Slots.open(SoftHsmTestTokens.LIBRARY, slot, -1),
                SoftHsmTestTokens.pinFile());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(token, null);
        PinnedAliasKeyManager km = new PinnedAliasKeyManager((X509ExtendedKeyManager) kmf.getKeyManagers()[0], device);
        String alias = km.chooseClientAlias(new String[] {"EC"}, null, null);
        assertNotNull(alias);
        assertEquals(device, km.getCertificateChain(alias)[0]);
        assertNull(km.getPrivateKey(alias).getEncoded(), "a token key has no encoding");
        assertNull(km.chooseServerAlias("EC", null, null));
    }

    @Test
    void tls13HandshakeWithClientAuthPresentsTheTokenKey() throws Exception {
        // The probe's server enables TLS 1.3 only and requires a client certificate.
        Certificate[] presented = ClientCertProbe.presentedBy(identity.sslContext(), pki);
        assertEquals(device, presented[0]);
        assertEquals(pki.issuer, presented[1]);
    }
}
