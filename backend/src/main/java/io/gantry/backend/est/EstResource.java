package io.gantry.backend.est;

import io.gantry.backend.failure.EstRefusal;
import io.gantry.backend.metrics.BackendMetrics;

import io.gantry.backend.http.ApiException;
import io.gantry.backend.tls.ClientCertificateFilter;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * RFC 7030 EST on the mutual-TLS connector, without CA label: {@code GET cacerts},
 * {@code POST simpleenroll}, {@code POST simplereenroll}. Who may call which operation is decided
 * before matching by {@link ClientCertificateFilter} ({@link EstAccessRule}); the operations
 * check it again from the certificate itself.
 */
@Path("/.well-known/est")
public final class EstResource {
    /** Largest accepted request body; a P-256 CSR in base64 is under 1 KiB. */
    public static final int MAX_CSR_BYTES = 16 * 1024;
    /** RFC 7030 4.2.1: the request body's media type. */
    public static final String PKCS10 = "application/pkcs10";
    private final EstEnrollment enrollment;
    private final BackendMetrics metrics;
    @Context
    private HttpServletRequest servletRequest;

    /**
     * @param enrollment EST enrollment with the online issuing CA; registered only when the backend has one
     * @param metrics where issued and refused requests are counted
     */
    @Inject
    public EstResource(EstEnrollment enrollment, BackendMetrics metrics) {
        this.enrollment = Objects.requireNonNull(enrollment, "est");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** RFC 7030 4.1: the CA certificates (issuing intermediate, then root) as certs-only PKCS#7. */
    @GET
    @Path("cacerts")
    public Response cacerts() {
        return certsOnly(enrollment.authority().caCertsBody());
    }

    /** RFC 7030 4.2.1: first enrollment with a one-time factory credential. */
    @POST
    @Path("simpleenroll")
    @Consumes(PKCS10)
    public Response simpleenroll(InputStream body) throws IOException {
        try {
            Response r = issued(enrollment.enroll(chain(), read(body), servletRequest.getRemoteAddr()));
            metrics.estIssued("simpleenroll");
            return r;
        } catch (ApiException e) {
            metrics.estRefused("simpleenroll", e.code());
            throw e;
        }
    }

    /** RFC 7030 4.2.2: renewal or rekey with the current device certificate. */
    @POST
    @Path("simplereenroll")
    @Consumes(PKCS10)
    public Response simplereenroll(InputStream body) throws IOException {
        try {
            Response r = issued(enrollment.reenroll(chain(), read(body), servletRequest.getRemoteAddr()));
            metrics.estIssued("simplereenroll");
            return r;
        } catch (ApiException e) {
            metrics.estRefused("simplereenroll", e.code());
            throw e;
        }
    }

    private X509Certificate[] chain() {
        return (X509Certificate[]) servletRequest.getAttribute(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE);
    }

    private static byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_CSR_BYTES + 1);
        if (bytes.length > MAX_CSR_BYTES) {
            throw new ApiException(EstRefusal.CSR_TOO_LARGE, "a certification request is at most " + MAX_CSR_BYTES + " bytes");
        }
        return bytes;
    }

    /** RFC 7030 4.2.3: only the issued certificate; the chain comes from cacerts. */
    private static Response issued(X509Certificate certificate) {
        return certsOnly(CertsOnlyPkcs7.base64(List.of(certificate)));
    }

    private static Response certsOnly(byte[] base64) {
        return Response.ok(base64, CertsOnlyPkcs7.MEDIA_TYPE).header("Content-Transfer-Encoding", "base64").build();
    }
}
