package io.gantry.keystore.internal;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.api.tls.BackendTlsPolicySource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Device identity held in a PKCS#12 file (development and gateways without a secure element).
 * The private key stays inside this component: callers get a TLS context, never the key.
 * Activation fails, and no identity is offered, if the file, its password, or the chain is bad.
 *
 * <p>Renewal generates the new key here, and {@link #completeRenewal} swaps file and memory only
 * after the issued chain passed {@link RenewedChainCheck}; see {@link Pkcs12Swap} for crash safety.
 */
@Component(configurationPid = "io.gantry.keystore.file", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {DeviceIdentity.class, RenewableIdentity.class})
@Designate(ocd = FileKeyStoreConfig.class)
public final class FileKeyStore implements RenewableIdentity {
    private final char[] password;
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
    private final String deviceId;
    private final Clock clock;
    private final Pkcs12Swap swap;
    /** Swapped as a whole by a completed renewal; TLS contexts built later use the new entry. */
    private volatile IdentityEntry current;
    private String pendingId;
    private KeyPair pendingKey;

    @Activate
    public FileKeyStore(FileKeyStoreConfig config) throws IOException, GeneralSecurityException {
        this(config, Clock.systemUTC(), new Pkcs12Swap(Path.of(config.keystorePath())));
    }

    FileKeyStore(FileKeyStoreConfig config, Clock clock, Pkcs12Swap swap) throws IOException, GeneralSecurityException {
        this.clock = clock;
        this.swap = swap;
        this.password = Files.readString(Path.of(config.passwordFile()), StandardCharsets.UTF_8).trim().toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(config.keystorePath()))) {
            keyStore.load(in, password);
        }
        this.current = IdentityEntry.of(keyStore);
        this.deviceId = DeviceCertificates.commonName(current.leaf());
        this.trustStore = TrustAnchors.load(Path.of(config.trustAnchorPath()));
        swap.discardLeftover();
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public List<X509Certificate> certificateChain() {
        // The root is not part of what the device presents.
        return current.chain();
    }

    @Override
    public SSLContext sslContext() {
        IdentityEntry entry = current;
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(entry.keyStore(), password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), BackendTrustManager.forBackend(trustStore, () -> tlsPolicies, clock), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from the device keystore", e);
        }
    }

    @Override
    public synchronized PendingRenewal beginRenewal() throws RenewalException {
        X500Principal subject = current.leaf().getSubjectX500Principal();
        KeyPair key = RenewalCsr.newKeyPair();
        byte[] csr = RenewalCsr.der(subject, key);
        pendingId = UUID.randomUUID().toString();
        pendingKey = key;
        return new PendingRenewal(pendingId, subject, key.getPublic(), csr);
    }

    @Override
    public synchronized void completeRenewal(PendingRenewal pending, List<X509Certificate> chain) throws RenewalException {
        if (pendingId == null || !pendingId.equals(pending.id())) {
            throw new RenewalException(RenewalErrorCode.UNKNOWN_RENEWAL, "renewal " + pending.id() + " is not the pending one", null);
        }
        IdentityEntry old = current;
        List<X509Certificate> path = RenewedChainCheck.check(chain, pendingKey.getPublic(),
                old.leaf().getSubjectX500Principal(), trustStore, clock.instant());
        try {
            KeyStore renewed = KeyStore.getInstance("PKCS12");
            renewed.load(null, null);
            renewed.setKeyEntry(old.alias(), pendingKey.getPrivate(), password, path.toArray(new X509Certificate[0]));
            swap.replace(renewed, password);
            current = new IdentityEntry(renewed, old.alias(), path);
        } catch (IOException | GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.STORE_FAILED, "cannot store the renewed identity: " + e, e);
        }
        pendingId = null;
        pendingKey = null;
    }

    @Override
    public String toString() {
        return "FileKeyStore[" + deviceId + ", chain " + Arrays.toString(current.chain().stream()
                .map(c -> c.getSubjectX500Principal().getName()).toArray()) + "]";
    }
}
