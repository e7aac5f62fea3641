package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
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
        slot = SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN);
        // A decoy from the same CA on the same token: the identity must present only its own alias.
        TokenProvisioning.provisionDevice(slot, "tls-decoy", "decoy", pki);
        device = TokenProvisioning.provisionDevice(slot, "tls-gw", "gw-tls", pki);
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
        SSLContext serverContext = serverContext();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            Future<Certificate[]> peer = executor.submit(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    return s.getSession().getPeerCertificates();
                }
            });
            try (SSLSocket client = (SSLSocket) identity.sslContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                client.setSoTimeout(10_000);
                client.setEnabledProtocols(new String[] {"TLSv1.3"});
                client.startHandshake();
                InputStream in = client.getInputStream();
                assertEquals(42, in.read());
                assertEquals("TLSv1.3", client.getSession().getProtocol());
            }
            Certificate[] presented = peer.get(10, TimeUnit.SECONDS);
            assertEquals(device, presented[0]);
            assertEquals(pki.issuer, presented[1]);
        } finally {
            executor.shutdownNow();
        }
    }

    private SSLContext serverContext() throws Exception {
        KeyPair serverKey = TestPki.p256();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey.getPrivate(), "pw".toCharArray(),
                new Certificate[] {pki.server(serverKey.getPublic()), pki.issuer});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", pki.root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
