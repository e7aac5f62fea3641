package io.gantry.backend.mgmt;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.tls.RequestOrigin;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a release archive only if a gateway with the same trust root would install it:
 * parse-then-authorize. The metadata is parsed strictly (no duplicate keys, unknown fields or
 * trailing data) only to learn which roles may sign it and when it expires; then {@link ReleaseAuthorization#authorize}
 * requires, over the exact metadata bytes, the threshold of distinct signers of that role (the
 * release role of its major version or a vendor delegation covering it), no expired release or
 * trust root, and no failing signature by a key of the role. Nothing of the metadata is acted on
 * before that threshold verified: not the payload list, not the duplicate check, not even the
 * name in the security event. Then exactly the signed payloads must be present, each of its signed
 * size and digest. Payloads are staged, then moved into the artifact store in the same step that
 * inserts the rows; any failure stores nothing. Every refusal (413, 422) is recorded as a security
 * event whose code is the error code, naming the uploader and, once authorized, the release.
 * A trust-root release must carry the rotation of the current root ({@link ActiveTrustRoot}); once
 * stored, the backend authorizes every later upload against the new root, without a restart.
 */
public final class ReleaseIngest {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseIngest.class);
    /** Names the device API uses for the two documents, so no payload may take them. */
    private static final Set<String> RESERVED = Set.of(ReleaseArchive.METADATA, ReleaseArchive.SIGNATURES);
    private final ManagementServices s;

    /** What an accepted upload produced: the stored release and who authorized it. */
    public record Stored(ReleaseRow release, ReleaseAuthorization.Authorized authorized) {
    }

    /** @param services shared storage, clock and trust root */
    public ReleaseIngest(ManagementServices services) {
        this.s = services;
    }

    /**
     * @param contentLength the declared body length, {@code null} if chunked
     * @param body the archive bytes
     * @param origin who uploads, for the security event of a refusal
     * @return the stored release and its authorization
     * @throws ApiException 413 too large, 422 with a RejectionCode name, 409 DUPLICATE_RELEASE
     */
    public Stored ingest(Long contentLength, InputStream body, RequestOrigin origin) throws IOException, SQLException {
        Attempt attempt = new Attempt();
        try {
            if (contentLength != null && contentLength > s.maxUploadBytes()) {
                throw UploadSpool.tooLarge(s.maxUploadBytes());
            }
            return ingest(body, attempt);
        } catch (ApiException e) {
            if (e.status() == 413 || e.status() == 422) {
                s.securityEvents().record(e.code(), origin.subject(), origin.remoteAddress(), attempt.describe(e));
            }
            throw e;
        }
    }

    private Stored ingest(InputStream body, Attempt attempt) throws IOException, SQLException {
        Path archive = UploadSpool.spool(body, s.spoolDir(), s.maxUploadBytes());
        Map<PayloadInfo, Path> staged = new LinkedHashMap<>();
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            byte[] metadata = src.metadata();
            byte[] envelope = src.signatures();
            ReleaseMetadata m = MetadataJson.parse(metadata);
            // Read once: the whole upload is judged by one root, even if a rotation lands meanwhile.
            TrustRoot root = s.trust().refreshed();
            ReleaseAuthorization.Authorized authorized = ReleaseAuthorization.authorize(m, metadata,
                    SignatureEnvelope.parse(envelope), root, s.clock().instant());
            attempt.release = m;
            List<String> signers = authorized.signerKeyIds();
            requireExactlySignedPayloads(m, src.payloadNames());
            if (s.database().inTransaction(c -> s.releases().exists(c, m.name(), m.version()))) {
                throw duplicate(m);
            }
            for (PayloadInfo p : m.payloads()) {
                Path tmp = s.artifacts().stage();
                staged.put(p, tmp);
                try (InputStream in = src.openPayload(p.name()); OutputStream out = Files.newOutputStream(tmp)) {
                    PayloadCheck.copyVerified(p, in, out);
                }
            }
            TrustRoot next = m.kind() == ReleaseKind.TRUST_ROOT ? successor(root, staged) : null;
            long id = store(m, metadata, envelope, signers, staged, root, next);
            staged.clear();
            if (next != null) {
                s.trust().switchTo(root, next);
            }
            LOG.info("stored release {} {} as id {} authorized by role {}: {}", m.name(), m.version(), id,
                    authorized.role().name(), authorized.signerNames());
            return new Stored(s.database().inTransaction(c -> s.releases().find(c, id)).orElseThrow(), authorized);
        } catch (ReleaseRejectedException e) {
            LOG.warn("release upload rejected: {} {}", e.code(), e.getMessage());
            throw new ApiException(e.code(), e.getMessage());
        } catch (IOException e) {
            // The spooled file is local: a read failure here means a broken zip or an oversized entry.
            throw new ApiException(RejectionCode.MALFORMED, "not a readable release archive: " + e.getMessage());
        } finally {
            for (Path p : staged.values()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(archive);
        }
    }

    /** The root a trust-root release carries must be the rotation of the current one, or the upload is refused. */
    private TrustRoot successor(TrustRoot root, Map<PayloadInfo, Path> staged) throws IOException, ReleaseRejectedException {
        byte[] rootBytes = null;
        byte[] sigBytes = null;
        for (Map.Entry<PayloadInfo, Path> e : staged.entrySet()) {
            if (e.getKey().name().equals(ActiveTrustRoot.ROOT_PAYLOAD)) {
                rootBytes = Files.readAllBytes(e.getValue());
            } else if (e.getKey().name().equals(ActiveTrustRoot.SIGNATURES_PAYLOAD)) {
                sigBytes = Files.readAllBytes(e.getValue());
            }
        }
        if (rootBytes == null || sigBytes == null || staged.size() != 2) {
            throw new MalformedReleaseException("a trust-root release carries exactly " + ActiveTrustRoot.ROOT_PAYLOAD
                    + " and " + ActiveTrustRoot.SIGNATURES_PAYLOAD);
        }
        return s.trust().successor(root, rootBytes, sigBytes, s.clock().instant());
    }

    private long store(ReleaseMetadata m, byte[] metadata, byte[] envelope, List<String> signers,
            Map<PayloadInfo, Path> staged, TrustRoot root, TrustRoot next) throws SQLException {
        Instant now = s.clock().instant();
        try {
            return s.database().inTransaction(c -> {
                long id = s.releases().insert(c, m, metadata, envelope, signers, now);
                for (Map.Entry<PayloadInfo, Path> e : staged.entrySet()) {
                    try {
                        s.artifacts().commit(e.getValue(), e.getKey().sha256());
                    } catch (IOException io) {
                        throw new SQLException("cannot move payload into the artifact store", io);
                    }
                }
                if (next != null) {
                    s.trust().record(c, root, next, id, now);
                }
                return id;
            });
        } catch (SQLException e) {
            if (ReleaseRepository.DUPLICATE_KEY.equals(e.getSQLState()) && next != null
                    && !s.database().inTransaction(c -> s.releases().exists(c, m.name(), m.version()))) {
                throw new ApiException(RejectionCode.BAD_ROTATION, "trust root version " + next.version()
                        + " was activated by another upload meanwhile");
            }
            if (ReleaseRepository.DUPLICATE_KEY.equals(e.getSQLState())) {
                throw duplicate(m);
            }
            throw e;
        }
    }

    /** Mender MEN-9109: a payload outside the signed list must not ride along, nor a signed one be missing. */
    private static void requireExactlySignedPayloads(ReleaseMetadata m, List<String> inArchive) throws MalformedReleaseException {
        Set<String> signed = new TreeSet<>();
        for (PayloadInfo p : m.payloads()) {
            if (RESERVED.contains(p.name())) {
                throw new MalformedReleaseException("payload name " + p.name() + " is reserved");
            }
            signed.add(p.name());
        }
        Set<String> present = new TreeSet<>(inArchive);
        if (!signed.equals(present)) {
            Set<String> extra = new TreeSet<>(present);
            extra.removeAll(signed);
            Set<String> missing = new TreeSet<>(signed);
            missing.removeAll(present);
            throw new MalformedReleaseException("archive payloads differ from the signed list: unsigned " + extra
                    + ", missing " + missing);
        }
    }

    /** What is known about one upload when it is refused: the release, once its signers are authorized. */
    private static final class Attempt {
        private ReleaseMetadata release;

        String describe(ApiException e) {
            String what = release == null ? "release upload" : "release " + release.name() + " " + release.version();
            return what + " refused: " + e.getMessage();
        }
    }

    private static ApiException duplicate(ReleaseMetadata m) {
        return new ApiException(RequestError.DUPLICATE_RELEASE,
                "release " + m.name() + " " + m.version() + " already exists");
    }
}
