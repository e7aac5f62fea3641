package io.gantry.renewal.internal;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.api.renewal.RetryLaterException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The EST client side of RFC 7030 over mutual TLS with the device's current identity:
 * {@code simplereenroll} (§4.2.2) and {@code cacerts} (§4.1). Every failure is a
 * {@link RenewalException} with a stable code; nothing here touches the identity.
 */
final class EstRenewalClient {
    static final int MAX_RESPONSE = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI est;
    private final Clock clock;

    EstRenewalClient(SSLContext currentIdentity, URI backend, Clock clock) {
        if (!"https".equals(backend.getScheme())) {
            throw new IllegalArgumentException("backend URL must be https: " + backend);
        }
        this.http = HttpClient.newBuilder().sslContext(currentIdentity).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.est = backend.resolve("/.well-known/est/");
        this.clock = clock;
    }

    /**
     * Posts the CSR base64-encoded as {@code application/pkcs10} (§4.2.1).
     *
     * @return the certificates of the answer, unordered
     * @throws RetryLaterException on 202 with Retry-After (§4.2.3)
     */
    List<X509Certificate> simpleReenroll(byte[] csrDer) throws RenewalException {
        byte[] body = Base64.getMimeEncoder().encode(csrDer);
        HttpRequest req = HttpRequest.newBuilder(est.resolve("simplereenroll")).timeout(TIMEOUT)
                .header("Content-Type", "application/pkcs10").header("Content-Transfer-Encoding", "base64")
                .header("Accept", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return certsOnly(req, true);
    }

    /** @return the CA certificates the EST server distributes (§4.1.3) */
    List<X509Certificate> caCerts() throws RenewalException {
        HttpRequest req = HttpRequest.newBuilder(est.resolve("cacerts")).timeout(TIMEOUT)
                .header("Accept", "application/pkcs7-mime").GET().build();
        return certsOnly(req, false);
    }

    private List<X509Certificate> certsOnly(HttpRequest req, boolean mayDefer) throws RenewalException {
        HttpResponse<InputStream> res = send(req);
        try (InputStream in = res.body()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE + 1);
            int status = res.statusCode();
            if (status == 202 && mayDefer) {
                throw new RetryLaterException(retryAfter(res.headers().firstValue("Retry-After").orElse(null)));
            }
            if (status != 200) {
                String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8).strip();
                throw new RenewalException(RenewalErrorCode.REFUSED, req.uri().getPath() + " answered " + status + " " + text, null);
            }
            if (bytes.length > MAX_RESPONSE) {
                throw new RenewalException(RenewalErrorCode.BAD_RESPONSE, "answer exceeds " + MAX_RESPONSE + " bytes", null);
            }
            String type = res.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/pkcs7-mime")) {
                throw new RenewalException(RenewalErrorCode.BAD_RESPONSE, "content type is '" + type + "'", null);
            }
            return Pkcs7Certs.parse(bytes);
        } catch (IOException e) {
            throw new RenewalException(RenewalErrorCode.BACKEND_UNREACHABLE, "reading " + req.uri().getPath() + ": " + e, e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest req) throws RenewalException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RenewalException(RenewalErrorCode.BACKEND_UNREACHABLE, req.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenewalException(RenewalErrorCode.BACKEND_UNREACHABLE, "interrupted", e);
        }
    }

    /** Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    private Duration retryAfter(String value) throws RenewalException {
        if (value == null) {
            throw new RenewalException(RenewalErrorCode.BAD_RESPONSE, "202 without Retry-After (RFC 7030 §4.2.3)", null);
        }
        String v = value.strip();
        try {
            if (v.chars().allMatch(Character::isDigit) && !v.isEmpty() && v.length() < 10) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            throw new RenewalException(RenewalErrorCode.BAD_RESPONSE, "unreadable Retry-After '" + v + "'", e);
        }
    }
}
