package io.gantry.cli;

import io.gantry.pki.EcKeys;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.PemCertificates;
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
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An EST client (RFC 7030) for manufacturing and tests: generates a P-256 key, sends only its CSR
 * ({@code CN=<id>}, the id taken from the presented certificate) to {@code simpleenroll} (with a
 * factory credential) or {@code simplereenroll} ({@code --renew}, with the current device store),
 * and writes key and chain (device, intermediate from {@code cacerts}) to a new PKCS#12.
 */
@Command(name = "enroll", description = "Enroll (factory credential) or renew (--renew, device store) a device over EST.")
final class EnrollCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443")
    URI server;
    @Option(names = "--trust", required = true, description = "root CA PEM the backend's certificate must chain to")
    Path trust;
    @Option(names = "--credential", required = true, description = "PKCS#12 presented over TLS (password in <file>.pass)")
    Path credential;
    @Option(names = "--out", required = true, description = "new PKCS#12 for the issued key and chain (never overwritten)")
    Path out;
    @Option(names = "--renew", description = "simplereenroll with a device store instead of simpleenroll with a factory credential")
    boolean renew;

    @Override
    public Integer call() throws Exception {
        ProtectedKeyStore presented = Pkcs12Files.load(credential);
        HttpClient client = client(presented);
        String id = commonName(presented.chain().get(0).getSubjectX500Principal());
        KeyPair key = EcKeys.generateP256();
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        HttpResponse<String> issued = client.send(HttpRequest.newBuilder(server.resolve("/.well-known/est/"
                + (renew ? "simplereenroll" : "simpleenroll"))).header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(Base64.getMimeEncoder().encodeToString(csr))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 200) {
            System.err.println("gantry: enrollment refused: HTTP " + issued.statusCode() + " " + issued.body());
            return 1;
        }
        HttpResponse<String> ca = client.send(HttpRequest.newBuilder(server.resolve("/.well-known/est/cacerts")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (ca.statusCode() != 200) {
            System.err.println("gantry: cacerts failed: HTTP " + ca.statusCode());
            return 1;
        }
        X509Certificate leaf = certificates(issued.body()).get(0);
        if (!leaf.getPublicKey().equals(key.getPublic())) {
            System.err.println("gantry: the backend answered a certificate for another key");
            return 1;
        }
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate root = PemCertificates.read(trust).get(0);
        certificates(ca.body()).stream().filter(c -> !c.equals(root)).forEach(chain::add);
        Pkcs12Files.write(out, new IssuedCredential(key.getPrivate(), chain));
        System.out.println("enrolled " + leaf.getSubjectX500Principal().getName() + " serial "
                + leaf.getSerialNumber().toString(16) + " issued by " + leaf.getIssuerX500Principal().getName() + " into " + out);
        return 0;
    }

    private HttpClient client(ProtectedKeyStore presented) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(presented.keyStore(), presented.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore anchors = PemCertificates.trustStore(trust);
        tmf.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String commonName(X500Principal subject) {
        for (var rdn : new X500Name(subject.getName()).getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)) {
            return rdn.getFirst().getValue().toString();
        }
        throw new IllegalArgumentException("the credential's certificate has no CN: " + subject);
    }

    /** @return the certificates of a base64 certs-only PKCS#7 (RFC 7030 4.1.3) */
    static List<X509Certificate> certificates(String base64) throws Exception {
        CMSSignedData p7 = new CMSSignedData(Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII)));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certs = new ArrayList<>();
        for (X509CertificateHolder h : p7.getCertificates().getMatches(null)) {
            certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
        }
        return certs;
    }
}
