package io.gantry.backend.ddi;

import io.gantry.backend.config.DownloadQuota;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Enforces a {@link DownloadQuota} per device, in the database ({@code download_quota_windows},
 * V19), so every backend node on one database charges the same window. Each device has a fixed
 * window that starts at its first download after the previous window ended; requests and bytes are
 * charged when a download starts, in one transaction holding the device's row lock, so two nodes
 * charging the same device at once are counted one after the other. Only authenticated devices
 * reach it (mutual TLS, own controller id), so the table holds at most one row per device.
 */
public final class DownloadLimiter {
    private final DownloadQuota quota;
    private final Database database;
    private final Clock clock;

    /**
     * The state of one device's current window.
     *
     * @param oversizedUsed whether the window's one artifact larger than the byte budget was fetched
     * @param refusals requests refused in this window
     */
    private record Window(Instant start, int requests, long bytes, boolean oversizedUsed, int refusals) {
    }

    /**
     * A refused download.
     *
     * @param retryAfter how long until the device's window ends
     * @param firstInWindow whether this is the device's first refusal in this window (the one to record)
     */
    public record Refusal(Duration retryAfter, boolean firstInWindow) {
    }

    /**
     * @param quota the per-device limits
     * @param database where the windows are kept
     * @param clock the time source of the windows
     */
    public DownloadLimiter(DownloadQuota quota, Database database, Clock clock) {
        this.quota = Objects.requireNonNull(quota, "quota");
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Charges one download of {@code bytes} to {@code deviceId}, unless that would pass the quota.
     * One artifact larger than the whole byte budget may be fetched once per window, beside the
     * budget (so a release with a payload larger than the budget still installs).
     *
     * @return empty when the download may go ahead; otherwise the refusal
     * @throws SQLException if the window cannot be read or written (the download must not go ahead)
     */
    public Optional<Refusal> charge(String deviceId, long bytes) throws SQLException {
        // The precision both databases store, so the window read back is the window written.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            return database.inTransaction(c -> charge(c, deviceId, bytes, now));
        } catch (SQLException e) {
            if (!Dialect.isDuplicateKey(e)) {
                throw e;
            }
            // Another node inserted the device's first row at the same moment: now the row exists and is locked in turn.
            return database.inTransaction(c -> charge(c, deviceId, bytes, now));
        }
    }

    /** @return the quota enforced */
    public DownloadQuota quota() {
        return quota;
    }

    private Optional<Refusal> charge(Connection c, String deviceId, long bytes, Instant now) throws SQLException {
        Window w = read(c, deviceId);
        boolean exists = w != null;
        if (w == null || !now.isBefore(w.start().plus(quota.window()))) {
            w = new Window(now, 0, 0, false, 0);
        }
        boolean oversized = bytes > quota.maxBytes();
        boolean allowed = w.requests() < quota.maxRequests()
                && (oversized ? !w.oversizedUsed() : w.bytes() + bytes <= quota.maxBytes());
        Refusal refusal = null;
        Window next;
        if (!allowed) {
            refusal = new Refusal(Duration.between(now, w.start().plus(quota.window())), w.refusals() == 0);
            next = new Window(w.start(), w.requests(), w.bytes(), w.oversizedUsed(), w.refusals() + 1);
        } else {
            next = oversized ? new Window(w.start(), w.requests() + 1, w.bytes(), true, w.refusals())
                    : new Window(w.start(), w.requests() + 1, w.bytes() + bytes, w.oversizedUsed(), w.refusals());
        }
        write(c, deviceId, next, exists);
        return Optional.ofNullable(refusal);
    }

    private static Window read(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT window_start, requests, bytes, oversized_used, refusals "
                + "FROM download_quota_windows WHERE controller_id = ? FOR UPDATE")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Window(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getInt(2), rs.getLong(3),
                        rs.getBoolean(4), rs.getInt(5)) : null;
            }
        }
    }

    private static void write(Connection c, String deviceId, Window w, boolean exists) throws SQLException {
        String sql = exists
                ? "UPDATE download_quota_windows SET window_start = ?, requests = ?, bytes = ?, oversized_used = ?, refusals = ? "
                        + "WHERE controller_id = ?"
                : "INSERT INTO download_quota_windows (window_start, requests, bytes, oversized_used, refusals, controller_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(w.start(), ZoneOffset.UTC));
            ps.setInt(2, w.requests());
            ps.setLong(3, w.bytes());
            ps.setBoolean(4, w.oversizedUsed());
            ps.setInt(5, w.refusals());
            ps.setString(6, deviceId);
            ps.executeUpdate();
        }
    }
}
