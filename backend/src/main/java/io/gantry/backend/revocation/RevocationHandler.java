package io.gantry.backend.revocation;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only things served over plain HTTP: {@code GET /crl/<issuer-key-id>.crl} (RFC 5280 CRL,
 * {@code application/pkix-crl}) and OCSP at {@code /ocsp}, by {@code POST} or by {@code GET
 * /ocsp/<url-encoded base64 request>} (RFC 6960 Appendix A; the JDK's client uses GET for small
 * requests). Everything else is 404: no device or management API is reachable without TLS.
 */
final class RevocationHandler extends Handler.Abstract {
    /** Largest OCSP request read (a request for a few certificates is a few hundred bytes). */
    static final int MAX_REQUEST = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RevocationHandler.class);
    private final CrlPublisher crl;
    private final OcspResponder ocsp;

    RevocationHandler(CrlPublisher crl, OcspResponder ocsp) {
        this.crl = Objects.requireNonNull(crl, "crl");
        this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        if (HttpMethod.GET.is(method) && path.equals("/crl/" + crl.keyId() + ".crl")) {
            return answer(response, callback, "application/pkix-crl", crl.currentCrl());
        }
        if (HttpMethod.POST.is(method) && path.equals("/ocsp")) {
            byte[] body;
            try (InputStream in = Request.asInputStream(request)) {
                body = in.readNBytes(MAX_REQUEST + 1);
            }
            if (body.length > MAX_REQUEST) {
                Response.writeError(request, response, callback, 413);
                return true;
            }
            return answer(response, callback, "application/ocsp-response", ocsp.respond(body));
        }
        if (HttpMethod.GET.is(method) && path.startsWith("/ocsp/") && path.length() - 6 <= 2 * MAX_REQUEST) {
            byte[] der;
            try {
                der = Base64.getDecoder().decode(URLDecoder.decode(path.substring(6), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                LOG.debug("OCSP GET with a malformed request: {}", e.getMessage());
                der = new byte[0];
            }
            return answer(response, callback, "application/ocsp-response", ocsp.respond(der));
        }
        Response.writeError(request, response, callback, 404);
        return true;
    }

    private static boolean answer(Response response, Callback callback, String type, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
