package io.gantry.backend.revocation;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
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
 * requests). Everything else is 404: no device or management API is reachable without TLS. No
 * request waits for a client on a thread: a POST body is read asynchronously, and one declared or
 * found larger than the limit is refused with 413; a GET path over the header limit gets 431 or 414
 * from Jetty before this handler runs.
 */
final class RevocationHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationHandler.class);
    private final CrlPublisher crl;
    private final OcspResponder ocsp;
    private final int maxRequest;

    /** @param maxRequest largest OCSP request read (a request for a few certificates is a few hundred bytes) */
    RevocationHandler(CrlPublisher crl, OcspResponder ocsp, int maxRequest) {
        this.crl = Objects.requireNonNull(crl, "crl");
        this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
        this.maxRequest = maxRequest;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        if (HttpMethod.GET.is(method) && path.equals("/crl/" + crl.keyId() + ".crl")) {
            return answer(response, callback, "application/pkix-crl", crl.currentCrl());
        }
        if (HttpMethod.POST.is(method) && path.equals("/ocsp")) {
            if (request.getLength() > maxRequest) {
                return tooLarge(request, response, callback);
            }
            // Read without a thread: a client that never sends its body holds a connection until the
            // idle timeout, never one of the listener's threads.
            Content.Source.asByteArrayAsync(request, maxRequest).whenComplete((body, failure) -> {
                if (failure == null) {
                    answer(response, callback, "application/ocsp-response", ocsp.respond(body));
                } else if (isClientGone(failure)) {
                    callback.failed(failure);
                } else {
                    tooLarge(request, response, callback);
                }
            });
            return true;
        }
        if (HttpMethod.GET.is(method) && path.startsWith("/ocsp/")) {
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

    private boolean tooLarge(Request request, Response response, Callback callback) {
        Response.writeError(request, response, callback, 413, "an OCSP request is at most " + maxRequest + " bytes");
        return true;
    }

    private static boolean isClientGone(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException;
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
