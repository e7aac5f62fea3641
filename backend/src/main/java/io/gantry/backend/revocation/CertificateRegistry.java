package io.gantry.backend.revocation;

import io.gantry.backend.db.Database;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.pki.RevocationEndpoints;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Every certificate the CA issued and whether it is revoked ({@code issued_certificates}). The
 * offline CLI's {@code issued.log} is imported into it ({@link IssuanceLogImport}); online issuance
 * (EST) calls {@link #record}. The TLS trust manager, the identity filter, the CRL publisher and the
 * OCSP responder all read it. Each revocation is recorded as a security event
 * ({@link SecurityEventCode#CERTIFICATE_REVOKED}) naming who revoked what.
 *
 * <p><b>Several nodes.</b> Every revocation raises the shared counter {@code revocation_generation}
 * in its own transaction. A node keeps GOOD and REVOKED answers in memory only while that counter
 * is unchanged, and re-reads it whenever its last reading is {@link #VISIBILITY} old, so an answer
 * it gives never omits a revocation committed through any node more than {@link #VISIBILITY}
 * earlier (on the node that revoked, none at all). The bound is kept by a monotonic ticker, not
 * the injected clock, since a frozen or adjusted clock must not stretch it.
 */
public final class CertificateRegistry {
    /** Outcome of revoking one serial. */
    public enum Outcome {
        /** It was GOOD and is now REVOKED. */
        REVOKED,
        /** It was already REVOKED; nothing changed (the first date and reason stand). */
        ALREADY_REVOKED,
        /** The registry does not know it; nothing changed. */
        UNKNOWN
    }

    /** Bound of the in-memory status cache (about 300 bytes an entry); it is emptied when full. */
    static final int MAX_CACHED_STATES = 200_000;
    /** How long after a revocation through another node this node may still answer from its memory. */
    public static final Duration VISIBILITY = Duration.ofSeconds(1);
    private final Database database;
    private final IssuedCertificateRepository rows = new IssuedCertificateRepository();
    private final Clock clock;
    private final SecurityEvents events;
    private final LongSupplier ticker;
    /** The newest shared generation read (or written) by this node. */
    private final AtomicLong generation = new AtomicLong(-1);
    /** Ticker reading taken just before the last successful read of the shared generation. */
    private volatile long readAt;
    private final BackendMetrics metrics;
    /**
     * GOOD and REVOKED states read from the database, each tagged with the generation read before its
     * query: an entry is used only while the generation is unchanged, so no answer older than the last
     * revocation is ever served. UNKNOWN is not kept (the serial may be recorded at any time).
     */
    private final ConcurrentHashMap<String, CachedState> states = new ConcurrentHashMap<>();

    /**
     * @param database the backend database
     * @param clock time of revocations
     * @param events where revocations are recorded
     */
    public CertificateRegistry(Database database, Clock clock, SecurityEvents events) {
        this(database, clock, events, new BackendMetrics(), System::nanoTime);
    }

    /** As {@link #CertificateRegistry(Database, Clock, SecurityEvents)}, counting revocations by reason in {@code metrics}. */
    public CertificateRegistry(Database database, Clock clock, SecurityEvents events, BackendMetrics metrics) {
        this(database, clock, events, metrics, System::nanoTime);
    }

    /** As the public constructor, with the nanosecond ticker that measures {@link #VISIBILITY} (tests drive it). */
    CertificateRegistry(Database database, Clock clock, SecurityEvents events, LongSupplier ticker) {
        this(database, clock, events, new BackendMetrics(), ticker);
    }

    private CertificateRegistry(Database database, Clock clock, SecurityEvents events, BackendMetrics metrics,
            LongSupplier ticker) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Records an issued certificate as GOOD; a serial already known keeps its row (idempotent).
     *
     * @param role devices, operators, server, intermediate, ... ({@link io.gantry.pki.CertificateProfile})
     * @return whether the certificate was new
     */
    public boolean record(X509Certificate certificate, String role) throws SQLException {
        String issuerKeyId = authorityKeyIdOf(certificate);
        return database.inTransaction(c -> rows.insertIfAbsent(c, certificate, role, issuerKeyId));
    }

    /**
     * Called in every TLS handshake and on every request (through {@link RegistryCheck}), so GOOD and
     * REVOKED answers are kept in memory until the next revocation through this or any other node;
     * one through another node is seen within {@link #VISIBILITY}.
     *
     * @return what the registry knows of {@code serial} (hex, see {@link Serials#parse})
     */
    public CertificateState status(String serial) throws SQLException {
        long before = generation();
        CachedState cached = states.get(serial);
        if (cached != null && cached.generation() == before) {
            return cached.state();
        }
        CertificateState s = database.inTransaction(c -> rows.find(c, serial));
        if (s.status() != CertificateState.Status.UNKNOWN) {
            if (states.size() >= MAX_CACHED_STATES) {
                states.clear();
            }
            states.put(serial, new CachedState(before, s));
        }
        return s;
    }

    /**
     * @return the state of exactly this certificate: UNKNOWN if its serial is unknown or names a
     *     different certificate (same serial, other bytes: not issued here)
     */
    public CertificateState status(X509Certificate certificate) throws SQLException {
        String serial = Serials.hex(certificate.getSerialNumber());
        CertificateState s = status(serial);
        return s.status() != CertificateState.Status.UNKNOWN && !s.sha256().equals(Serials.sha256(certificate))
                ? CertificateState.unknown(serial) : s;
    }

    /**
     * Revokes one certificate.
     *
     * @param actor who asks (operator subject DN or "cli:<user>"), for the security event
     */
    public Outcome revoke(String serial, RevocationReason reason, String actor) throws SQLException {
        return revoke(serial, reason, actor, SecurityEventCode.CERTIFICATE_REVOKED);
    }

    /**
     * Revokes the certificate a renewal replaced, with reason {@code superseded}, recorded as
     * {@link SecurityEventCode#CERTIFICATE_SUPERSEDED} (routine, so not an operator alert by default).
     */
    Outcome supersede(String serial, String actor) throws SQLException {
        return revoke(serial, RevocationReason.superseded, actor, SecurityEventCode.CERTIFICATE_SUPERSEDED);
    }

    private Outcome revoke(String serial, RevocationReason reason, String actor, SecurityEventCode event) throws SQLException {
        Instant now = clock.instant();
        long[] raised = {-1};
        Outcome outcome = database.inTransaction(c -> {
            if (rows.revoke(c, serial, now, reason)) {
                raised[0] = rows.raiseGeneration(c);
                return Outcome.REVOKED;
            }
            return rows.find(c, serial).status() == CertificateState.Status.REVOKED ? Outcome.ALREADY_REVOKED : Outcome.UNKNOWN;
        });
        if (outcome == Outcome.REVOKED) {
            // Only after the commit: a state read before it must not be kept under the new generation.
            seen(raised[0]);
            metrics.revoked(reason.name(), 1);
            CertificateState s = status(serial);
            events.record(event, actor, null, "revoked " + serial + " (" + s.role() + " " + s.subject() + "): " + reason);
        }
        return outcome;
    }

    /**
     * Revokes, in one transaction, every GOOD certificate issued by the CA with key id
     * {@code issuerKeyId} (emergency: that CA's key is compromised). The CA's own certificate is
     * not touched: it is issued by the root, which revokes it.
     *
     * @return the serials revoked
     */
    public List<String> revokeAllIssuedBy(String issuerKeyId, RevocationReason reason, String actor) throws SQLException {
        return revokeAllIssuedBy(issuerKeyId, s -> true, reason, actor);
    }

    /** @return every GOOD certificate issued by the CA with key id {@code issuerKeyId} */
    public List<CertificateState> goodIssuedBy(String issuerKeyId) throws SQLException {
        return database.inTransaction(c -> rows.goodBy(c, issuerKeyId));
    }

    /**
     * As {@link #revokeAllIssuedBy(String, RevocationReason, String)}, only for the certificates
     * {@code which} selects (the incident playbook spares the backend's server and operator certificates).
     *
     * @return the serials revoked
     */
    public List<String> revokeAllIssuedBy(String issuerKeyId, java.util.function.Predicate<CertificateState> which,
            RevocationReason reason, String actor) throws SQLException {
        Instant now = clock.instant();
        long[] raised = {-1};
        List<String> revoked = database.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            for (CertificateState s : rows.goodBy(c, issuerKeyId)) {
                if (which.test(s) && rows.revoke(c, s.serial(), now, reason)) {
                    out.add(s.serial());
                }
            }
            if (!out.isEmpty()) {
                raised[0] = rows.raiseGeneration(c);
            }
            return out;
        });
        seen(raised[0]);
        metrics.revoked(reason.name(), revoked.size());
        events.record(SecurityEventCode.CERTIFICATE_REVOKED, actor, null,
                "revoked all " + revoked.size() + " certificates issued by key " + issuerKeyId + ": " + reason);
        return revoked;
    }

    /** As {@link #revokeAllIssuedBy(String, RevocationReason, String)} for the CA certificate {@code issuer}. */
    public List<String> revokeAllIssuedBy(X509Certificate issuer, RevocationReason reason, String actor) throws SQLException {
        return revokeAllIssuedBy(RevocationEndpoints.keyIdOf(issuer), reason, actor);
    }

    /** @return every revoked certificate issued by {@code issuerKeyId}, for its CRL */
    public List<CertificateState> revokedBy(String issuerKeyId) throws SQLException {
        return database.inTransaction(c -> rows.revokedBy(c, issuerKeyId));
    }

    /** @return the next CRL number of {@code issuerKeyId} (stored first, so numbers never repeat) */
    long nextCrlNumber(String issuerKeyId) throws SQLException {
        return database.inTransaction(c -> rows.nextCrlNumber(c, issuerKeyId));
    }

    /**
     * @return a number that changes whenever a revocation through any node changed the registry (cache
     *     key of CRL and OCSP answers): the shared one, re-read when the last reading is {@link #VISIBILITY} old
     * @throws SQLException if it has to be re-read and the database cannot be
     */
    public long generation() throws SQLException {
        long tick = ticker.getAsLong();
        long known = generation.get();
        if (known < 0 || tick - readAt >= VISIBILITY.toNanos()) {
            // Taken before the read: the reading covers every revocation committed before this instant.
            known = seen(database.inTransaction(rows::generation));
            readAt = tick;
        }
        return known;
    }

    /** Records a reading of the shared generation; the in-memory one never goes back. */
    private long seen(long shared) {
        return generation.accumulateAndGet(shared, Math::max);
    }

    /** @return hex authority key identifier of {@code certificate}, its issuer's subject key id */
    static String authorityKeyIdOf(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            throw new IllegalArgumentException("no authority key identifier in " + certificate.getSubjectX500Principal());
        }
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifierOctets();
        return java.util.HexFormat.of().formatHex(aki);
    }

    /** A status read while the registry was at {@code generation}. */
    private record CachedState(long generation, CertificateState state) {
    }
}
