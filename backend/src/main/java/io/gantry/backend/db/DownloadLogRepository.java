package io.gantry.backend.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hash-chained download log ({@code V9__download_log.sql}): entry n's hash is
 * SHA-256(hash of entry n-1 + "\n" + canonical text of entry n), the first entry chaining from 64
 * zeros. Appends take the row lock of the chain head, so the chain stays linear with several
 * writers; {@link #verify} recomputes it and names the first entry that does not fit.
 */
public final class DownloadLogRepository {
    static final String GENESIS = "0".repeat(64);

    /** @return the id given to the appended entry */
    public long append(Connection c, DownloadRecord r) throws SQLException {
        long lastId;
        String lastHash;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_id, last_hash FROM download_log_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("download log head missing");
            }
            lastId = rs.getLong(1);
            lastHash = rs.getString(2);
        }
        long id = lastId + 1;
        String hash = link(lastHash, r.canonical(id));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO download_log (id, logged_at, controller_id, remote_address, "
                + "release_id, artifact, range_spec, bytes_sent, result, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, id);
            Timestamps.set(ps, 2, r.loggedAt());
            ps.setString(3, r.controllerId());
            ps.setString(4, r.remoteAddress());
            ps.setLong(5, r.releaseId());
            ps.setString(6, r.artifact());
            ps.setString(7, r.range());
            ps.setLong(8, r.bytesSent());
            ps.setString(9, r.result());
            ps.setString(10, lastHash);
            ps.setString(11, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE download_log_head SET last_id = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, id);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return id;
    }

    /**
     * The outcome of a chain check.
     *
     * @param entries how many entries were read
     * @param firstBroken the id of the first entry that does not fit the chain, if any
     * @param reason what is wrong there, or {@code null}
     */
    public record Verification(long entries, OptionalLong firstBroken, String reason) {
        /** @return whether every link holds */
        public boolean intact() {
            return firstBroken.isEmpty();
        }
    }

    /** Recomputes the whole chain, in id order, up to the head. */
    public Verification verify(Connection c) throws SQLException {
        String expectedPrev = GENESIS;
        long expectedId = 1;
        long count = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, logged_at, controller_id, remote_address, release_id, artifact, "
                + "range_spec, bytes_sent, result, prev_hash, entry_hash FROM download_log ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong("id");
                if (id != expectedId) {
                    return new Verification(count, OptionalLong.of(expectedId), "entry " + expectedId + " is missing");
                }
                DownloadRecord r = new DownloadRecord(Timestamps.get(rs, "logged_at"), rs.getString("controller_id"),
                        rs.getString("remote_address"), rs.getLong("release_id"), rs.getString("artifact"),
                        rs.getString("range_spec"), rs.getLong("bytes_sent"), rs.getString("result"));
                if (!rs.getString("prev_hash").equals(expectedPrev)) {
                    return new Verification(count, OptionalLong.of(id), "its previous-hash is not the hash of entry " + (id - 1));
                }
                String hash = link(expectedPrev, r.canonical(id));
                if (!hash.equals(rs.getString("entry_hash"))) {
                    return new Verification(count, OptionalLong.of(id), "its content does not match its hash (edited)");
                }
                expectedPrev = hash;
                expectedId++;
                count++;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT last_id, last_hash FROM download_log_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != count || !rs.getString(2).equals(expectedPrev)) {
                return new Verification(count, OptionalLong.of(count + 1), "the chain head names entry " + rs.getLong(1)
                        + ", the log ends at " + count + " (entries removed from the end)");
            }
        }
        return new Verification(count, OptionalLong.empty(), null);
    }

    /** One stored entry of the log, with its id and hash. */
    public record Entry(long id, DownloadRecord record, String entryHash) {
    }

    /**
     * @return up to {@code limit} entries matching every given filter ({@code since} inclusive,
     *     {@code until} exclusive) after skipping {@code offset}, newest first
     */
    public List<Entry> search(Connection c, Optional<String> controllerId, Optional<Long> releaseId, Optional<Instant> since,
            Optional<Instant> until, long offset, int limit) throws SQLException {
        SqlConditions q = filter(controllerId, releaseId, since, until);
        try (PreparedStatement ps = c.prepareStatement("SELECT id, logged_at, controller_id, remote_address, release_id, artifact, "
                + "range_spec, bytes_sent, result, entry_hash FROM download_log" + q.sql()
                + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
            int i = q.bind(ps);
            ps.setLong(i, offset);
            ps.setInt(i + 1, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong("id"), new DownloadRecord(Timestamps.get(rs, "logged_at"),
                            rs.getString("controller_id"), rs.getString("remote_address"), rs.getLong("release_id"),
                            rs.getString("artifact"), rs.getString("range_spec"), rs.getLong("bytes_sent"), rs.getString("result")),
                            rs.getString("entry_hash")));
                }
            }
            return out;
        }
    }

    /** @return how many entries match every given filter */
    public long countMatching(Connection c, Optional<String> controllerId, Optional<Long> releaseId, Optional<Instant> since,
            Optional<Instant> until) throws SQLException {
        SqlConditions q = filter(controllerId, releaseId, since, until);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM download_log" + q.sql())) {
            q.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SqlConditions filter(Optional<String> controllerId, Optional<Long> releaseId, Optional<Instant> since,
            Optional<Instant> until) {
        return new SqlConditions().andIf("controller_id = ?", controllerId).andIf("release_id = ?", releaseId)
                .andIf("logged_at >= ?", since).andIf("logged_at < ?", until);
    }

    static String link(String previousHash, String canonical) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((previousHash + "\n" + canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
