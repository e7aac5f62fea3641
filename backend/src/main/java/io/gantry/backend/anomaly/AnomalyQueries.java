package io.gantry.backend.anomaly;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an {@link AnomalyWindow} from {@code download_log}, {@code check_ins}, {@code actions} and
 * {@code rollout_members}: plain SQL that H2 and PostgreSQL both run.
 */
public final class AnomalyQueries {

    /** @return the window {@code [to - window, to]} and the baseline {@code [to - window - baseline, to - window)} */
    public AnomalyWindow read(Connection c, Instant to, Duration window, Duration baseline) throws SQLException {
        Instant from = to.minus(window);
        Instant baseFrom = from.minus(baseline);
        List<AnomalyWindow.Download> downloads = new ArrayList<>();
        List<AnomalyWindow.Sighting> sightings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.logged_at, d.controller_id, d.remote_address, d.release_id, "
                + "(SELECT COUNT(*) FROM actions a WHERE a.controller_id = d.controller_id AND a.release_id = d.release_id) "
                + "FROM download_log d WHERE d.logged_at >= ? AND d.logged_at <= ? ORDER BY d.id")) {
            bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AnomalyWindow.Download d = new AnomalyWindow.Download(instant(rs, 1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getLong(5) > 0);
                    downloads.add(d);
                    if (d.address() != null) {
                        sightings.add(new AnomalyWindow.Sighting(d.at(), d.device(), null, d.address()));
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT seen_at, controller_id, serial, remote_address FROM check_ins "
                + "WHERE seen_at >= ? AND seen_at <= ? ORDER BY id")) {
            bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sightings.add(new AnomalyWindow.Sighting(instant(rs, 1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        List<AnomalyWindow.Assignment> assignments = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.controller_id, a.release_id, a.created_at, "
                + "(SELECT COUNT(*) FROM rollout_members m WHERE m.action_id = a.id) FROM actions a "
                + "WHERE a.created_at >= ? AND a.created_at <= ? ORDER BY a.id")) {
            bind(ps, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assignments.add(new AnomalyWindow.Assignment(rs.getLong(1), rs.getString(2), rs.getLong(3), instant(rs, 4),
                            rs.getLong(5) > 0));
                }
            }
        }
        Map<String, Long> baselineDownloads = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT controller_id, COUNT(*) FROM download_log "
                + "WHERE logged_at >= ? AND logged_at < ? GROUP BY controller_id")) {
            bind(ps, baseFrom, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    baselineDownloads.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Set<String> baselineAddresses = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT remote_address FROM check_ins WHERE seen_at >= ? AND seen_at < ? "
                + "UNION SELECT DISTINCT remote_address FROM download_log WHERE logged_at >= ? AND logged_at < ? "
                + "AND remote_address IS NOT NULL")) {
            bind(ps, baseFrom, from, baseFrom, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    baselineAddresses.add(rs.getString(1));
                }
            }
        }
        return new AnomalyWindow(from, to, baseline, downloads, sightings, assignments, baselineDownloads, baselineAddresses);
    }

    private static void bind(PreparedStatement ps, Instant... times) throws SQLException {
        for (int i = 0; i < times.length; i++) {
            ps.setObject(i + 1, OffsetDateTime.ofInstant(times[i], ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
