package io.gantry.backend.mqtt;

import io.gantry.backend.config.BackendConfig;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;

/**
 * Writes the embedded broker's configuration folder, readable by the owner only: a copy of the
 * backend's TLS key and chain and a trust store of the client trust anchor, both under a fresh
 * random password, and a HiveMQ {@code config.xml} with one TLS listener that requires a client
 * certificate, in-memory persistence and no usage statistics.
 */
final class BrokerFiles {
    private BrokerFiles() {
    }

    /** Fills {@code conf} (created or replaced) for a listener on {@code host}:{@code port}. */
    static void write(Path conf, BackendConfig backend, String host, int port) throws IOException, GeneralSecurityException {
        Files.createDirectories(conf);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwx------"));
        char[] password = HexFormat.of().formatHex(random16()).toCharArray();
        ProtectedKeyStore server = Pkcs12Files.load(backend.serverKeyStore(), backend.serverKeyStorePasswordFile());
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("server", server.privateKey(), password, server.chain().toArray(new Certificate[0]));
        store(identity, conf.resolve("server.p12"), password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (var anchor : PemCertificates.read(backend.clientTrustAnchor())) {
            trust.setCertificateEntry("anchor-" + i++, anchor);
        }
        store(trust, conf.resolve("trust.p12"), password);
        String pw = new String(password);
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>gantry-devices</name>
                      <tls>
                        <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                        <keystore><path>%s</path><password>%s</password><private-key-password>%s</private-key-password></keystore>
                        <truststore><path>%s</path><password>%s</password></truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <security>
                    <allow-empty-client-id><enabled>false</enabled></allow-empty-client-id>
                  </security>
                </hivemq>
                """.formatted(port, host, conf.resolve("server.p12").toAbsolutePath(), pw, pw,
                conf.resolve("trust.p12").toAbsolutePath(), pw);
        Files.writeString(conf.resolve("config.xml"), xml, StandardCharsets.UTF_8);
    }

    private static byte[] random16() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
    }
}
