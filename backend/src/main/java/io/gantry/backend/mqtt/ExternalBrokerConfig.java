package io.gantry.backend.mqtt;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * An external MQTT v5 broker the backend publishes its commands to and reads device statuses from
 * (docs/mqtt.md, "External broker"), as the push identity: a client certificate from Gantry's own
 * CA, in a PKCS#12 key store with its password in a file.
 *
 * @param brokerUrl {@code ssl://host:port}
 * @param keyStore PKCS#12 key store of the push identity
 * @param passwordFile file holding the key store's password, one line
 * @param brokerCa PEM certificates the broker's server certificate must chain to (its host name is checked too)
 * @param maxReconnect longest wait between connection attempts (from one second, doubling)
 */
public record ExternalBrokerConfig(URI brokerUrl, Path keyStore, Path passwordFile, Path brokerCa, Duration maxReconnect) {
    /** The default of {@link #maxReconnect}. */
    public static final Duration DEFAULT_MAX_RECONNECT = Duration.ofSeconds(60);

    /** @throws IllegalArgumentException for a URL that is not {@code ssl://host:port} or a bad reconnect bound */
    public ExternalBrokerConfig {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(passwordFile, "passwordFile");
        Objects.requireNonNull(brokerCa, "brokerCa");
        Objects.requireNonNull(maxReconnect, "maxReconnect");
        if (!"ssl".equals(brokerUrl.getScheme()) || brokerUrl.getHost() == null || brokerUrl.getPort() <= 0
                || (brokerUrl.getPath() != null && !brokerUrl.getPath().isEmpty()) || brokerUrl.getQuery() != null) {
            throw new IllegalArgumentException("the broker URL must be ssl://HOST:PORT (mutual TLS, no path): " + brokerUrl);
        }
        if (maxReconnect.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the longest reconnect wait must be at least 1s: " + maxReconnect);
        }
    }

    /** @return the default password file of {@code keyStore}: {@code <keyStore>.pass}, as {@code gantry pki} writes it */
    public static Path defaultPasswordFile(Path keyStore) {
        return Pkcs12Files.passwordFile(keyStore);
    }

    /**
     * The push identity and the broker's trust anchors, checked: the key store opens with its
     * password and holds a key with its certificate, and the CA file holds at least one certificate.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public Credentials load() {
        for (Path f : new Path[] {keyStore, passwordFile, brokerCa}) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("file not found: " + f);
            }
        }
        ProtectedKeyStore identity;
        X509Certificate leaf;
        try {
            identity = Pkcs12Files.load(keyStore, passwordFile);
            identity.privateKey();
            leaf = identity.chain().get(0);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot open the push identity's key store " + keyStore + " with the password in "
                    + passwordFile + ": " + e.getMessage(), e);
        }
        String cn = commonName(leaf.getSubjectX500Principal());
        if (cn == null) {
            throw new IllegalArgumentException("the push identity's certificate has no CN: " + leaf.getSubjectX500Principal());
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(identity.keyStore(), identity.password());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(PemCertificates.trustStore(brokerCa));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new Credentials(cn, tls);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use " + brokerCa + " as the broker's CA certificates: " + e.getMessage(), e);
        }
    }

    private static String commonName(X500Principal subject) {
        var cns = X500Name.getInstance(subject.getEncoded()).getRDNs(BCStyle.CN);
        return cns.length == 1 ? IETFUtils.valueToString(cns[0].getFirst().getValue()) : null;
    }

    /**
     * The loaded push identity.
     *
     * @param commonName its certificate's CN: the user name Mosquitto's ACL knows it by
     * @param tls client key and the broker's trust anchors
     */
    public record Credentials(String commonName, SSLContext tls) {
    }
}
