package io.gantry.localddi.internal;

import io.gantry.api.device.DeviceFailureCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revocation of device client certificates on the local endpoint, from the CRL of each
 * certificate's issuer at the distribution point the certificate names (the backend's plain-HTTP
 * CRL listener, the same source the gateway's keystore falls back to for the backend's own server
 * certificate). Policy, fail closed:
 *
 * <ul>
 *   <li>a CRL is taken only if the certificate's issuer signed it (RFC 5280 §6.3.3 (f), (g)),
 *       it has a nextUpdate, its thisUpdate is not ahead of the clock by more than {@link #SKEW},
 *       it carries no critical extension (delta or partitioned CRLs are not read), and it is not
 *       older than the one held (no replay of an earlier CRL);
 *   <li>the held CRL is fetched again once it is {@code refresh} old, or at its nextUpdate; a
 *       failed fetch is tried again after {@link #RETRY_AFTER_FAILURE} at the earliest;
 *   <li>a certificate the held CRL lists is refused {@code DEVICE_CERT_REVOKED};
 *   <li>no CRL at all, or the held one past nextUpdate plus {@code grace} (0 by default) with no
 *       newer one to be had, is {@code DEVICE_CERT_STATUS_UNKNOWN}: unknown is refused.
 * </ul>
 *
 * Only the device's own certificate is checked (the issuing CA is the fleet's intermediate, whose
 * retirement the backend handles by re-enrollment). Time comes from the injected clock.
 */
final class DeviceCrlCache {
    /** How far a CRL's thisUpdate may be ahead of the gateway's clock. */
    static final Duration SKEW = Duration.ofMinutes(5);
    /** Least time between two fetches of a CRL after one failed. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);
    /** Longest wait for a CRL server. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    /** Largest CRL read. */
    static final int MAX_CRL_BYTES = 4 << 20;
    private static final System.Logger LOG = System.getLogger(DeviceCrlCache.class.getName());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Clock clock;
    private final Duration refresh;
    private final Duration grace;
    /** Per distribution point and issuer key (guarded by {@code this}). */
    private final Map<String, Held> held = new HashMap<>();

    /** A CRL in hand ({@code null} before the first one): when it was fetched, and when a fetch last failed (or {@code null}). */
    private record Held(X509CRL crl, Instant fetchedAt, Instant failedAt) {
    }

    /**
     * @param refresh age after which a held CRL is fetched again (a revocation reaches this
     *     endpoint within about this time)
     * @param grace how long past its nextUpdate a held CRL still answers when no newer one can be
     *     fetched; zero refuses at nextUpdate
     */
    DeviceCrlCache(Clock clock, Duration refresh, Duration grace) {
        if (refresh.isNegative() || refresh.isZero() || grace.isNegative()) {
            throw new IllegalArgumentException("CRL refresh must be positive and the grace not negative");
        }
        this.clock = clock;
        this.refresh = refresh;
        this.grace = grace;
    }

    /**
     * Passes if the CRL of the certificate's issuer, fresh by the policy above, does not list it.
     *
     * @param peerChain the chain the device sent, leaf first, already validated by the handshake
     * @param anchors the configured device CAs, where the issuer is looked for too
     * @throws DeviceCertificateRefusedException {@code DEVICE_CERT_REVOKED} or {@code DEVICE_CERT_STATUS_UNKNOWN}
     */
    void check(List<X509Certificate> peerChain, List<X509Certificate> anchors) throws DeviceCertificateRefusedException {
        X509Certificate leaf = peerChain.get(0);
        X509Certificate issuer = issuerOf(leaf, peerChain, anchors);
        String who = leaf.getSubjectX500Principal().getName() + " (serial " + leaf.getSerialNumber().toString(16) + ")";
        if (issuer == null) {
            throw new DeviceCertificateRefusedException(DeviceFailureCode.DEVICE_CERT_STATUS_UNKNOWN, "no issuer certificate for " + who);
        }
        List<URI> points = CrlDistributionPoints.of(leaf);
        if (points.isEmpty()) {
            throw new DeviceCertificateRefusedException(DeviceFailureCode.DEVICE_CERT_STATUS_UNKNOWN,
                    who + " names no HTTP CRL distribution point");
        }
        Instant now = clock.instant();
        StringBuilder why = new StringBuilder();
        for (URI point : points) {
            X509CRL crl = current(point, issuer, now, why);
            if (crl == null) {
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(leaf);
            if (entry != null) {
                throw new DeviceCertificateRefusedException(DeviceFailureCode.DEVICE_CERT_REVOKED, who + " is revoked since "
                        + entry.getRevocationDate().toInstant() + " (CRL of " + crl.getIssuerX500Principal().getName()
                        + ", thisUpdate " + crl.getThisUpdate().toInstant() + ")");
            }
            return;
        }
        throw new DeviceCertificateRefusedException(DeviceFailureCode.DEVICE_CERT_STATUS_UNKNOWN,
                "no current CRL for " + who + ":" + why);
    }

    /** @return a CRL usable at {@code now}, fetching when the policy says so; {@code null} with the reason in {@code why} */
    private synchronized X509CRL current(URI point, X509Certificate issuer, Instant now, StringBuilder why) {
        String key = point + " " + Base64.getEncoder().encodeToString(issuer.getPublicKey().getEncoded());
        Held h = held.get(key);
        boolean due = h == null || h.crl() == null || !now.isBefore(h.fetchedAt().plus(refresh))
                || !now.isBefore(h.crl().getNextUpdate().toInstant());
        boolean mayTry = h == null || h.failedAt() == null || !now.isBefore(h.failedAt().plus(RETRY_AFTER_FAILURE));
        if (due && mayTry) {
            try {
                X509CRL fetched = fetch(point, issuer, now);
                if (h != null && h.crl() != null && fetched.getThisUpdate().before(h.crl().getThisUpdate())) {
                    throw new IOException("the CRL served is older than the one held (thisUpdate "
                            + fetched.getThisUpdate().toInstant() + " before " + h.crl().getThisUpdate().toInstant() + ")");
                }
                h = new Held(fetched, now, null);
                held.put(key, h);
            } catch (IOException | GeneralSecurityException e) {
                LOG.log(System.Logger.Level.WARNING, "CRL at {0} not taken: {1}", point, e.getMessage());
                why.append(" ").append(point).append(": ").append(e.getMessage()).append(';');
                h = h == null ? new Held(null, null, now) : new Held(h.crl(), h.fetchedAt(), now);
                held.put(key, h);
            }
        }
        if (h == null || h.crl() == null) {
            why.append(" ").append(point).append(": none fetched yet;");
            return null;
        }
        Instant usableUntil = h.crl().getNextUpdate().toInstant().plus(grace);
        if (now.isAfter(usableUntil)) {
            why.append(" the CRL held from ").append(point).append(" is past nextUpdate ")
                    .append(h.crl().getNextUpdate().toInstant()).append(" plus a grace of ").append(grace.toMinutes()).append(" min;");
            return null;
        }
        return h.crl();
    }

    private X509CRL fetch(URI point, X509Certificate issuer, Instant now) throws IOException, GeneralSecurityException {
        HttpResponse<InputStream> res;
        try {
            res = http.send(HttpRequest.newBuilder(point).timeout(FETCH_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        byte[] der;
        try (InputStream in = res.body()) {
            if (res.statusCode() != 200) {
                throw new IOException("answered " + res.statusCode());
            }
            der = in.readNBytes(MAX_CRL_BYTES + 1);
        }
        if (der.length > MAX_CRL_BYTES) {
            throw new IOException("CRL larger than " + MAX_CRL_BYTES + " bytes");
        }
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new GeneralSecurityException("CRL issued by " + crl.getIssuerX500Principal().getName() + ", not by "
                    + issuer.getSubjectX500Principal().getName());
        }
        crl.verify(issuer.getPublicKey());
        if (crl.getNextUpdate() == null) {
            throw new GeneralSecurityException("CRL without nextUpdate");
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(SKEW))) {
            throw new GeneralSecurityException("CRL thisUpdate " + crl.getThisUpdate().toInstant() + " is ahead of the clock");
        }
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && !critical.isEmpty()) {
            throw new GeneralSecurityException("CRL with critical extensions " + critical + " (delta or partitioned CRLs are not read)");
        }
        return crl;
    }

    /** The certificate whose key signed the leaf, among the chain the device sent and the configured CAs. */
    private static X509Certificate issuerOf(X509Certificate leaf, List<X509Certificate> chain, List<X509Certificate> anchors) {
        for (List<X509Certificate> source : List.of(chain.subList(1, chain.size()), anchors)) {
            for (X509Certificate c : source) {
                if (!c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                    continue;
                }
                try {
                    leaf.verify(c.getPublicKey());
                    return c;
                } catch (GeneralSecurityException e) {
                    // Same name, other key: not the issuer.
                }
            }
        }
        return null;
    }
}
