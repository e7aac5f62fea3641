package io.gantry.backend.revocation;

import io.gantry.pki.JcaProviders;
import io.gantry.pki.RevocationEndpoints;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP responder (RFC 6960) for the issuing CA, answering from the {@link CertificateRegistry}:
 * good, revoked (with time and reason) or unknown (a serial never issued here, or a CertID naming
 * another issuer). Signed by the delegated {@link OcspSigningCredential}, whose certificate and
 * the intermediate's travel in the response. thisUpdate is now, nextUpdate {@link #VALIDITY}
 * later; a request's nonce (4.4.1) is echoed. Answers without nonce are cached per CertID until
 * half their validity has passed or the registry changes, so a cached answer is never stale.
 */
public final class OcspResponder {
    /** thisUpdate to nextUpdate of every answer. */
    public static final Duration VALIDITY = Duration.ofHours(1);
    private static final int CACHE_ENTRIES = 10_000;
    private static final java.security.Provider BC = JcaProviders.bouncyCastle();
    private final CertificateRegistry registry;
    private final OcspSigningCredential signer;
    private final X509CertificateHolder issuer;
    private final String issuerKeyId;
    private final Clock clock;
    private final DigestCalculatorProvider digests;
    private final Map<CertificateID, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CertificateID, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record Cached(byte[] response, long generation, Instant thisUpdate) {
    }

    /**
     * @param registry certificate states
     * @param signer the delegated responder key
     * @param clock thisUpdate and nextUpdate
     */
    public OcspResponder(CertificateRegistry registry, OcspSigningCredential signer, Clock clock) throws GeneralSecurityException {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = new JcaX509CertificateHolder(signer.issuerCertificate());
        this.issuerKeyId = RevocationEndpoints.keyIdOf(signer.issuerCertificate());
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(BC).build();
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("no digest provider", e);
        }
    }

    /**
     * @param request a DER OCSPRequest
     * @return a DER OCSPResponse: successful, or malformedRequest / internalError (never throws for bad input)
     */
    public byte[] respond(byte[] request) {
        OCSPReq req;
        try {
            req = new OCSPReq(request);
            if (req.getRequestList().length == 0) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
        } catch (IOException | RuntimeException e) {
            return status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        try {
            Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            Req[] list = req.getRequestList();
            Instant now = clock.instant();
            long generation = registry.generation();
            if (nonce == null && list.length == 1) {
                synchronized (cache) {
                    Cached c = cache.get(list[0].getCertID());
                    if (c != null && c.generation() == generation && !now.isBefore(c.thisUpdate())
                            && now.isBefore(c.thisUpdate().plus(VALIDITY.dividedBy(2)))) {
                        return c.response().clone();
                    }
                }
            }
            byte[] answer = sign(list, nonce, now);
            if (nonce == null && list.length == 1) {
                synchronized (cache) {
                    cache.put(list[0].getCertID(), new Cached(answer, generation, now));
                }
            }
            return answer.clone();
        } catch (SQLException | GeneralSecurityException | OCSPException | IOException | OperatorCreationException e) {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }
    }

    private byte[] sign(Req[] list, Extension nonce, Instant now)
            throws SQLException, GeneralSecurityException, OCSPException, IOException, OperatorCreationException {
        OcspSigningCredential.Current key = signer.current();
        BasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(key.certificate().getPublicKey(),
                digests.get(CertificateID.HASH_SHA1));
        Date thisUpdate = Date.from(now);
        Date nextUpdate = Date.from(now.plus(VALIDITY));
        for (Req r : list) {
            b.addResponse(r.getCertID(), statusOf(r.getCertID()), thisUpdate, nextUpdate, null);
        }
        if (nonce != null) {
            b.setResponseExtensions(new Extensions(nonce));
        }
        X509CertificateHolder[] certs = {new JcaX509CertificateHolder(key.certificate()), issuer};
        BasicOCSPResp basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(key.key()),
                certs, thisUpdate);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private CertificateStatus statusOf(CertificateID id) throws SQLException, OCSPException {
        if (!id.matchesIssuer(issuer, digests)) {
            return new UnknownStatus();
        }
        CertificateState s = registry.status(Serials.hex(id.getSerialNumber()));
        if (s.status() == CertificateState.Status.UNKNOWN || !issuerKeyId.equals(s.issuerKeyId())) {
            return new UnknownStatus();
        }
        return s.status() == CertificateState.Status.REVOKED
                ? new RevokedStatus(Date.from(s.revokedAt()), s.reason().code()) : CertificateStatus.GOOD;
    }

    private static byte[] status(int code) {
        try {
            return new OCSPRespBuilder().build(code, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP error status", e);
        }
    }

    /** @return the responder's current certificate (for tests and docs) */
    public X509Certificate responderCertificate() throws GeneralSecurityException {
        return signer.current().certificate();
    }
}
