package io.gantry.provision;

import io.gantry.pki.EcKeys;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * An EST client (RFC 7030): generates a P-256 key here, sends only its CSR ({@code CN=<id>}, the
 * id taken from the presented certificate) to {@code simpleenroll} (with a factory credential) or
 * {@code simplereenroll} (with the current device certificate) over mutual TLS, and returns the
 * key with the issued chain (device certificate, then the intermediates {@code cacerts} names
 * other than the backend CA).
 */
public final class EstEnroller {
    private final URI backend;
    private final Path backendCa;

    /**
     * @param backend the backend's base URL
     * @param backendCa PEM of the root CA the backend's TLS certificate must chain to
     */
    public EstEnroller(URI backend, Path backendCa) {
        this.backend = backend;
        this.backendCa = backendCa;
    }

    /** What the backend issued. */
    public record Enrollment(IssuedCredential credential, X509Certificate certificate) {
    }

    /**
     * @param presented the factory credential ({@code simpleenroll}) or the device's current store ({@code renew})
     * @param renew whether to call {@code simplereenroll}
     * @throws ProvisionException with the reason the enrollment did not happen
     */
    public Enrollment enroll(ProtectedKeyStore presented, boolean renew) throws ProvisionException, InterruptedException {
        List<X509Certificate> anchors;
        HttpClient client;
        try {
            anchors = PemCertificates.read(backendCa);
            client = client(presented);
        } catch (IOException | GeneralSecurityException e) {
            throw new ProvisionException(ProvisionError.CREDENTIAL_INVALID, "cannot use the credential or the backend CA "
                    + backendCa + ": " + e.getMessage(), e);
        }
        String id;
        try {
            id = commonName(presented.chain().get(0).getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            throw new ProvisionException(ProvisionError.CREDENTIAL_INVALID, "the credential holds no certificate: " + e.getMessage(), e);
        }
        KeyPair key = EcKeys.generateP256();
        byte[] csr;
        try {
            csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new ProvisionException(ProvisionError.CREDENTIAL_INVALID, "cannot sign the certificate request: " + e.getMessage(), e);
        }
        HttpResponse<String> issued = send(client, HttpRequest.newBuilder(backend.resolve("/.well-known/est/"
                + (renew ? "simplereenroll" : "simpleenroll"))).header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(Base64.getMimeEncoder().encodeToString(csr))).build());
        if (issued.statusCode() != 200) {
            throw new ProvisionException(ProvisionError.ENROLLMENT_REFUSED, "the backend answered HTTP "
                    + issued.statusCode() + " " + issued.body());
        }
        HttpResponse<String> ca = send(client, HttpRequest.newBuilder(backend.resolve("/.well-known/est/cacerts")).GET().build());
        if (ca.statusCode() != 200) {
            throw new ProvisionException(ProvisionError.BAD_RESPONSE, "cacerts answered HTTP " + ca.statusCode());
        }
        List<X509Certificate> leafs = certificates(issued.body());
        if (leafs.isEmpty() || !leafs.get(0).getPublicKey().equals(key.getPublic())) {
            throw new ProvisionException(ProvisionError.BAD_RESPONSE, "the backend answered no certificate for the key just generated");
        }
        X509Certificate leaf = leafs.get(0);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        certificates(ca.body()).stream().filter(c -> !anchors.contains(c)).forEach(chain::add);
        return new Enrollment(new IssuedCredential(key.getPrivate(), chain), leaf);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws ProvisionException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProvisionException(ProvisionError.BACKEND_UNREACHABLE, request.uri() + ": " + e, e);
        }
    }

    private HttpClient client(ProtectedKeyStore presented) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(presented.keyStore(), presented.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(backendCa));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @return the CN of {@code subject} */
    public static String commonName(X500Principal subject) throws ProvisionException {
        for (var rdn : new X500Name(subject.getName()).getRDNs(BCStyle.CN)) {
            return rdn.getFirst().getValue().toString();
        }
        throw new ProvisionException(ProvisionError.CREDENTIAL_INVALID, "the credential's certificate has no CN: " + subject);
    }

    /** @return the certificates of a base64 certs-only PKCS#7 (RFC 7030 4.1.3) */
    public static List<X509Certificate> certificates(String base64) throws ProvisionException {
        try {
            CMSSignedData p7 = new CMSSignedData(Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII)));
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (X509CertificateHolder h : p7.getCertificates().getMatches(null)) {
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
            }
            return certs;
        } catch (CMSException | IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ProvisionException(ProvisionError.BAD_RESPONSE, "not a certs-only PKCS#7: " + e.getMessage(), e);
        }
    }
}
