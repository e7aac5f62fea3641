package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a target's detail shows beyond its row and actions: installed releases, tags and device certificates. */
public final class TargetDetailRepository {
    /** Most certificates listed for one target, newest first. */
    public static final int MAX_CERTIFICATES = 10;

    /** A release the target has installed: the newest finished action of that release name. */
    public record Installed(String name, String version, long releaseId, long actionId, Instant finishedAt) {
    }

    /** A device certificate issued for the target's id, as the registry knows it. */
    public record DeviceCertificate(String serial, Instant notBefore, Instant notAfter, String status, Instant revokedAt,
            String reason) {
    }

    /** @return the installed releases by name */
    public List<Installed> installed(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.name, r.version, r.id AS release_id, a.id AS action_id,"
                + " a.updated_at FROM actions a JOIN releases r ON r.id = a.release_id WHERE a.controller_id = ?"
                + " AND a.status = 'FINISHED' AND NOT EXISTS (SELECT 1 FROM actions a2 JOIN releases r2 ON r2.id = a2.release_id"
                + " WHERE a2.controller_id = a.controller_id AND a2.status = 'FINISHED' AND r2.name = r.name AND a2.id > a.id)"
                + " ORDER BY r.name")) {
            ps.setString(1, controllerId);
            List<Installed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Installed(rs.getString("name"), rs.getString("version"), rs.getLong("release_id"),
                            rs.getLong("action_id"), Timestamps.get(rs, "updated_at")));
                }
            }
            return out;
        }
    }

    /** @return the target's tags, sorted */
    public Set<String> tags(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM target_tags WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            Set<String> out = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** @return up to {@link #MAX_CERTIFICATES} device certificates for {@code controllerId}, newest first */
    public List<DeviceCertificate> certificates(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT serial, not_before, not_after, status, revoked_at, reason"
                + " FROM issued_certificates WHERE subject = ? AND role = 'devices' ORDER BY not_before DESC, serial"
                + " FETCH FIRST " + MAX_CERTIFICATES + " ROWS ONLY")) {
            ps.setString(1, "CN=" + controllerId + ",OU=devices,O=Gantry");
            List<DeviceCertificate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceCertificate(rs.getString("serial"), Timestamps.get(rs, "not_before"),
                            Timestamps.get(rs, "not_after"), rs.getString("status"), Timestamps.get(rs, "revoked_at"),
                            rs.getString("reason")));
                }
            }
            return out;
        }
    }
}
