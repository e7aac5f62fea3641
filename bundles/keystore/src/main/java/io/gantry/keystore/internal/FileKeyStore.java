package io.gantry.keystore.internal;

import io.gantry.api.keystore.DeviceIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Device identity held in a PKCS#12 file (development and gateways without a secure element).
 * The private key stays inside this component: callers get a TLS context, never the key.
 * Activation fails, and no identity is offered, if the file, its password, or the chain is bad.
 */
@Component(configurationPid = "io.gantry.keystore.file", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FileKeyStoreConfig.class)
public final class FileKeyStore implements DeviceIdentity {
    private final KeyStore keyStore;
    private final char[] password;
    private final String alias;
    private final KeyStore trustStore;
    private final List<X509Certificate> chain;
    private final String deviceId;

    @Activate
    public FileKeyStore(FileKeyStoreConfig config) throws IOException, GeneralSecurityException {
        this.password = Files.readString(Path.of(config.passwordFile()), StandardCharsets.UTF_8).trim().toCharArray();
        this.keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(config.keystorePath()))) {
            keyStore.load(in, password);
        }
        this.alias = singleKeyAlias(keyStore);
        this.chain = DeviceCertificates.toX509(keyStore.getCertificateChain(alias));
        this.deviceId = DeviceCertificates.commonName(chain.get(0));
        this.trustStore = TrustAnchors.load(Path.of(config.trustAnchorPath()));
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public List<X509Certificate> certificateChain() {
        // The root is not part of what the device presents.
        return chain;
    }

    @Override
    public SSLContext sslContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from the device keystore", e);
        }
    }

    private static String singleKeyAlias(KeyStore ks) throws GeneralSecurityException {
        List<String> keys = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                keys.add(a);
            }
        }
        if (keys.size() != 1) {
            throw new GeneralSecurityException("device keystore must hold exactly one key entry, found " + keys.size());
        }
        return keys.get(0);
    }

    @Override
    public String toString() {
        return "FileKeyStore[" + deviceId + ", chain " + Arrays.toString(chain.stream().map(c -> c.getSubjectX500Principal().getName()).toArray()) + "]";
    }
}
