package io.gantry.backend;

import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** An EST client for tests: CSRs, posts, and the PKCS#7 answer turned back into certificates. */
final class EstClients {
    private EstClients() {
    }

    /** @return a base64 DER PKCS#10 for {@code subject} carrying {@code key}'s public key, signed by {@code signer} */
    static String csr(String subject, KeyPair key, KeyPair signer, String algorithm) throws Exception {
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())).getEncoded();
        return Base64.getMimeEncoder().encodeToString(der);
    }

    static String csr(String subject, KeyPair key) throws Exception {
        return csr(subject, key, key, "SHA256withECDSA");
    }

    static HttpResponse<String> post(HttpClient client, URI base, String operation, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve("/.well-known/est/" + operation))
                .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** @return the certificates of a base64 certs-only PKCS#7 body */
    static List<X509Certificate> certificates(String base64) throws Exception {
        CMSSignedData p7 = new CMSSignedData(Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII)));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var holder : p7.getCertificates().getMatches(null)) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
        }
        return out;
    }

    /** @return an in-memory identity: {@code key} with {@code chain} */
    static ProtectedKeyStore identity(KeyPair key, List<X509Certificate> chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] password = "in-memory-test-identity".toCharArray();
        ks.setKeyEntry(Pkcs12Files.ALIAS, key.getPrivate(), password, chain.toArray(new Certificate[0]));
        return new ProtectedKeyStore(Path.of("memory"), ks, password);
    }
}
