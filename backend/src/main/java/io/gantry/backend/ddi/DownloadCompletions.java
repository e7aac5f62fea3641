package io.gantry.backend.ddi;

import io.gantry.backend.config.ArtifactDownloadLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The database side of {@link ArtifactDownloadLimit} ({@code V10__download_completions.sql}):
 * complete downloads per device, release and artifact in the current window. Plain SQL that H2 and
 * PostgreSQL both run. {@link #count} must run in the transaction that appended the download log
 * entry, whose head row lock serialises it with every other writer on every node.
 */
final class DownloadCompletions {
    private final ArtifactDownloadLimit limit;

    DownloadCompletions(ArtifactDownloadLimit limit) {
        this.limit = limit;
    }

    /** The window in force for one device and artifact, as stored. */
    private record Row(long actionId, Instant windowStart, int completions) {
    }

    /**
     * A refused repeat download.
     *
     * @param retryAfter how long until the window ends
     * @param completions complete downloads counted in the window
     */
    record Refusal(Duration retryAfter, int completions) {
    }

    /** @return the limit counted */
    ArtifactDownloadLimit limit() {
        return limit;
    }

    /** @return a refusal if the device has used up its complete downloads of this artifact in the current window */
    Optional<Refusal> check(Connection c, String controllerId, long releaseId, String artifact, Instant now)
            throws SQLException {
        Optional<Row> row = find(c, controllerId, releaseId, artifact);
        if (row.isEmpty() || !current(row.get(), newestAction(c, controllerId, releaseId), now)
                || row.get().completions() < limit.downloads()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(Duration.between(now, row.get().windowStart().plus(limit.window())),
                row.get().completions()));
    }

    /** Counts one complete download; opens a new window if none is current. */
    void count(Connection c, String controllerId, long releaseId, String artifact, Instant now) throws SQLException {
        long action = newestAction(c, controllerId, releaseId);
        Optional<Row> row = find(c, controllerId, releaseId, artifact);
        Row next = row.isPresent() && current(row.get(), action, now)
                ? new Row(action, row.get().windowStart(), row.get().completions() + 1) : new Row(action, now, 1);
        String sql = row.isPresent()
                ? "UPDATE download_completions SET action_id = ?, window_start = ?, completions = ? "
                        + "WHERE controller_id = ? AND release_id = ? AND artifact = ?"
                : "INSERT INTO download_completions (action_id, window_start, completions, controller_id, release_id, artifact) "
                        + "VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, next.actionId());
            ps.setObject(2, OffsetDateTime.ofInstant(next.windowStart(), ZoneOffset.UTC));
            ps.setInt(3, next.completions());
            ps.setString(4, controllerId);
            ps.setLong(5, releaseId);
            ps.setString(6, artifact);
            ps.executeUpdate();
        }
    }

    private boolean current(Row row, long newestAction, Instant now) {
        return row.actionId() == newestAction && now.isBefore(row.windowStart().plus(limit.window()));
    }

    private static Optional<Row> find(Connection c, String controllerId, long releaseId, String artifact) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT action_id, window_start, completions FROM download_completions "
                + "WHERE controller_id = ? AND release_id = ? AND artifact = ?")) {
            ps.setString(1, controllerId);
            ps.setLong(2, releaseId);
            ps.setString(3, artifact);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        rs.getInt(3))) : Optional.empty();
            }
        }
    }

    /** @return the device's newest action for the release (0 if none): a new assignment opens a new window */
    private static long newestAction(Connection c, String controllerId, long releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM actions WHERE controller_id = ? AND release_id = ?")) {
            ps.setString(1, controllerId);
            ps.setLong(2, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
