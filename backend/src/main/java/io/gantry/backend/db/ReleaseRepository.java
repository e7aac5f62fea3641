package io.gantry.backend.db;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code releases} and {@code release_payloads} tables. */
public final class ReleaseRepository {
    /** SQL state H2 (and the standard) use for a unique constraint violation. */
    public static final String DUPLICATE_KEY = "23505";
    private static final String COLUMNS =
            "id, name, version, kind, target, metadata, signatures, signer_key_ids, created_at";

    /**
     * Inserts a verified release and its payload rows.
     *
     * @return the new release id
     * @throws SQLException with state {@link #DUPLICATE_KEY} if name and version exist
     */
    public long insert(Connection c, ReleaseMetadata m, byte[] metadata, byte[] signatures, List<String> signers,
            Instant now) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO releases (name, version, kind, target, metadata, "
                + "signatures, signer_key_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, m.name());
            ps.setString(2, m.version());
            ps.setString(3, m.kind().name());
            ps.setString(4, m.target());
            ps.setBytes(5, metadata);
            ps.setBytes(6, signatures);
            ps.setString(7, String.join(",", signers));
            Timestamps.set(ps, 8, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO release_payloads (release_id, position, name, sha256, size) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (PayloadInfo p : m.payloads()) {
                ps.setLong(1, id);
                ps.setInt(2, position++);
                ps.setString(3, p.name());
                ps.setString(4, p.sha256());
                ps.setLong(5, p.size());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    /** @return whether a release with this name and version exists */
    public boolean exists(Connection c, String name, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM releases WHERE name = ? AND version = ?")) {
            ps.setString(1, name);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return the release with this id */
    public Optional<ReleaseRow> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM releases WHERE id = ?")) {
            ps.setLong(1, id);
            List<ReleaseRow> rows = read(c, ps);
            return rows.stream().findFirst();
        }
    }

    /** @return every release, oldest first */
    public List<ReleaseRow> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM releases ORDER BY id")) {
            return read(c, ps);
        }
    }

    /**
     * @return up to {@code limit} releases matching every given filter after skipping {@code offset},
     *     oldest first
     */
    public List<ReleaseRow> search(Connection c, Optional<String> name, Optional<String> version, Optional<ReleaseKind> kind,
            long offset, int limit) throws SQLException {
        SqlConditions q = filter(name, version, kind);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM releases" + q.sql()
                + " ORDER BY id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
            int i = q.bind(ps);
            ps.setLong(i, offset);
            ps.setInt(i + 1, limit);
            return read(c, ps);
        }
    }

    /** @return how many releases match every given filter */
    public long countMatching(Connection c, Optional<String> name, Optional<String> version, Optional<ReleaseKind> kind)
            throws SQLException {
        SqlConditions q = filter(name, version, kind);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM releases" + q.sql())) {
            q.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SqlConditions filter(Optional<String> name, Optional<String> version, Optional<ReleaseKind> kind) {
        return new SqlConditions().andIf("name = ?", name).andIf("version = ?", version)
                .andIf("kind = ?", kind.map(ReleaseKind::name));
    }

    /** @return how many releases are stored */
    public long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM releases")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<ReleaseRow> read(Connection c, PreparedStatement ps) throws SQLException {
        List<ReleaseRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong("id");
                String signers = rs.getString("signer_key_ids");
                rows.add(new ReleaseRow(id, rs.getString("name"), rs.getString("version"),
                        ReleaseKind.valueOf(rs.getString("kind")), rs.getString("target"), rs.getBytes("metadata"),
                        rs.getBytes("signatures"), signers.isEmpty() ? List.of() : Arrays.asList(signers.split(",")),
                        Timestamps.get(rs, "created_at"), payloads(c, id)));
            }
        }
        return rows;
    }

    private static List<PayloadInfo> payloads(Connection c, long releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, sha256, size FROM release_payloads WHERE release_id = ? ORDER BY position")) {
            ps.setLong(1, releaseId);
            List<PayloadInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PayloadInfo(rs.getString("name"), rs.getString("sha256"), rs.getLong("size")));
                }
            }
            return out;
        }
    }
}
