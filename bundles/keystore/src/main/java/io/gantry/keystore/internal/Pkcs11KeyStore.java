package io.gantry.keystore.internal;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.tls.BackendTlsPolicySource;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Device identity whose private key lives on a PKCS#11 token (HSM, secure element, TPM via its
 * PKCS#11 module; SoftHSM2 in tests). The key must be sensitive and non-extractable; TLS signs on
 * the token. The device certificate chain is stored on the token beside the key, under the same
 * alias. Activation fails, and no identity is offered, if the module, slot, PIN, key, chain or
 * trust anchor is missing or wrong, or if the token would reveal the key.
 *
 * <p>While active, the component installs its SunPKCS11 provider instance (last in the provider
 * list) because JSSE finds a signature implementation for a token key only among installed
 * providers; deactivation removes it.
 */
@Component(configurationPid = "io.gantry.keystore.pkcs11", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = Pkcs11KeyStoreConfig.class)
public final class Pkcs11KeyStore implements DeviceIdentity {
    private final Provider provider;
    private final KeyStore token;
    private final List<X509Certificate> chain;
    private final String deviceId;
    private final KeyStore trustStore;
    /**
     * The trust root's backend TLS policy. Dynamic rather than a constructor reference: the verifier
     * restarting must not tear down the device identity and every TLS client built on it; each
     * handshake reads the policy afresh (docs/gateway.md, TLS policy). While none is bound, backend
     * handshakes are refused ({@code NO_TRUST_POLICY}): no window without the trust root's pins.
     * Package-private for tests, which bind a source as SCR would.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile BackendTlsPolicySource tlsPolicies;

    @Activate
    public Pkcs11KeyStore(Pkcs11KeyStoreConfig config) throws IOException, GeneralSecurityException {
        String alias = required(config.keyAlias(), "keyAlias");
        this.trustStore = TrustAnchors.load(Path.of(required(config.trustAnchorPath(), "trustAnchorPath")));
        Path pinFile = Path.of(required(config.pinFile(), "pinFile"));
        this.provider = SunPkcs11Slots.open(config.library(), config.slot(), config.slotListIndex());
        this.token = TokenKeys.login(provider, pinFile);
        PrivateKey key = TokenKeys.nonExtractable(token, alias);
        this.chain = DeviceCertificates.toX509(token.getCertificateChain(alias));
        TokenKeys.requireMatch(key, chain.get(0).getPublicKey(), provider);
        this.deviceId = DeviceCertificates.commonName(chain.get(0));
        Security.addProvider(provider);
    }

    @Deactivate
    void deactivate() {
        Security.removeProvider(provider.getName());
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    @Override
    public SSLContext sslContext() {
        try {
            // The token is logged in for the provider's lifetime: key entries need no password here.
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(token, null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new PinnedAliasKeyManager(x509(kmf), chain.get(0))},
                    BackendTrustManager.forBackend(trustStore, () -> tlsPolicies, Clock.systemUTC()), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from the device token", e);
        }
    }

    private static X509ExtendedKeyManager x509(KeyManagerFactory kmf) throws GeneralSecurityException {
        for (KeyManager km : kmf.getKeyManagers()) {
            if (km instanceof X509ExtendedKeyManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 key manager for the token");
    }

    private static String required(String value, String name) throws GeneralSecurityException {
        if (value == null || value.isBlank()) {
            throw new GeneralSecurityException("configuration " + name + " is not set");
        }
        return value;
    }

    @Override
    public String toString() {
        return "Pkcs11KeyStore[" + deviceId + " on " + provider.getName() + "]";
    }
}
