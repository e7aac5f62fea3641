package io.gantry.keystore.internal;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.api.tls.BackendTlsPolicySource;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
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
 * <p>Renewal re-keys on the token: the new key pair is generated there (non-extractable), signs
 * the CSR there, and after the issued chain passed {@link RenewedChainCheck} it is stored under
 * the next generation's alias, which makes it the active identity; the old entry is deleted only
 * after that, at the next renewal or start. A crash at any point leaves the old or the new
 * identity complete on the token ({@link TokenGenerations}); TLS contexts built after a renewal
 * present the new certificate.
 *
 * <p>While active, the component installs its SunPKCS11 provider instance (last in the provider
 * list) because JSSE finds a signature implementation for a token key only among installed
 * providers; deactivation removes it.
 */
@Component(configurationPid = "io.gantry.keystore.pkcs11", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {DeviceIdentity.class, RenewableIdentity.class})
@Designate(ocd = Pkcs11KeyStoreConfig.class)
public final class Pkcs11KeyStore implements RenewableIdentity {
    private final Provider provider;
    private final KeyStore token;
    private final TokenGenerations generations;
    private final String deviceId;
    private final KeyStore trustStore;
    private final Clock clock;
    /** Swapped as a whole by a completed renewal; TLS contexts built later use the new entry. */
    private volatile TokenGenerations.Active current;
    private String pendingId;
    private KeyPair pendingKey;
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
        this(config, Clock.systemUTC());
    }

    Pkcs11KeyStore(Pkcs11KeyStoreConfig config, Clock clock) throws IOException, GeneralSecurityException {
        this.clock = clock;
        String alias = required(config.keyAlias(), "keyAlias");
        this.trustStore = TrustAnchors.load(Path.of(required(config.trustAnchorPath(), "trustAnchorPath")));
        Path pinFile = Path.of(required(config.pinFile(), "pinFile"));
        this.provider = SunPkcs11Slots.open(config.library(), config.slot(), config.slotListIndex());
        this.token = TokenKeys.login(provider, pinFile);
        this.generations = new TokenGenerations(token, alias);
        this.current = generations.activate(trustStore, provider);
        this.deviceId = DeviceCertificates.commonName(current.leaf());
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
        return current.chain();
    }

    /** @return the token alias of the identity in use */
    String activeAlias() {
        return current.alias();
    }

    @Override
    public synchronized PendingRenewal beginRenewal() throws RenewalException {
        X500Principal subject = current.leaf().getSubjectX500Principal();
        // The entry replaced by the previous renewal goes now (see completeRenewal), and a later
        // call replaces an earlier pending renewal.
        generations.retireBelow(current);
        try {
            generations.discardPending(current);
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.KEY_GENERATION_FAILED,
                    "cannot remove the earlier pending key from the token: " + e.getMessage(), e);
        }
        pendingId = null;
        pendingKey = null;
        KeyPair key = TokenRenewal.generatePending(token, provider, generations, clock.instant());
        byte[] csr = RenewalCsr.der(subject, key, provider);
        pendingId = UUID.randomUUID().toString();
        pendingKey = key;
        return new PendingRenewal(pendingId, subject, key.getPublic(), csr);
    }

    @Override
    public synchronized void completeRenewal(PendingRenewal pending, List<X509Certificate> chain) throws RenewalException {
        if (pendingId == null || !pendingId.equals(pending.id())) {
            throw new RenewalException(RenewalErrorCode.UNKNOWN_RENEWAL, "renewal " + pending.id() + " is not the pending one", null);
        }
        TokenGenerations.Active old = current;
        List<X509Certificate> path = RenewedChainCheck.check(chain, pendingKey.getPublic(),
                old.leaf().getSubjectX500Principal(), trustStore, clock.instant());
        int next;
        try {
            next = generations.nextGeneration();
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.STORE_FAILED, "cannot list the token: " + e.getMessage(), e);
        }
        TokenRenewal.store(token, generations.aliasOf(next), pendingKey.getPrivate(), path);
        current = new TokenGenerations.Active(generations.aliasOf(next), next, path);
        pendingId = null;
        pendingKey = null;
        // The old entry stays until the next renewal or start: a TLS context built before the switch
        // (a poll cycle, a download under way) may still need its key for a new handshake.
    }

    @Override
    public SSLContext sslContext() {
        try {
            // The token is logged in for the provider's lifetime: key entries need no password here.
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(token, null);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new PinnedAliasKeyManager(x509(kmf), current.leaf())},
                    BackendTrustManager.forBackend(trustStore, () -> tlsPolicies, clock), null);
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
        return "Pkcs11KeyStore[" + deviceId + " as " + current.alias() + " on " + provider.getName() + "]";
    }
}
