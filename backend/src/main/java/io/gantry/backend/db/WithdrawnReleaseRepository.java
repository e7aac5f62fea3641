package io.gantry.backend.db;

import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code withdrawn_releases} table: releases that no longer meet their signing threshold under
 * the backend's current trust root (a signer was revoked). A withdrawn release is never assigned
 * again, by hand or by a rollout (docs/incident-playbook.md).
 */
public final class WithdrawnReleaseRepository {
    /** Why and when a release was withdrawn. */
    public record Withdrawal(long releaseId, long trustRootVersion, String code, Instant withdrawnAt) {
    }

    /** Withdraws a release; a release already withdrawn keeps its first record. @return whether it was new */
    public boolean insert(Connection c, long releaseId, long trustRootVersion, String code, Instant now) throws SQLException {
        if (find(c, releaseId).isPresent()) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO withdrawn_releases (release_id, trust_root_version, "
                + "code, withdrawn_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, releaseId);
            ps.setLong(2, trustRootVersion);
            ps.setString(3, code);
            Timestamps.set(ps, 4, now);
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Refuses to assign a withdrawn release.
     *
     * @throws ApiException 409 RELEASE_WITHDRAWN naming the trust-root version and the code it now fails with
     */
    public static void refuseIfWithdrawn(Connection c, long releaseId) throws SQLException {
        Optional<Withdrawal> w = new WithdrawnReleaseRepository().find(c, releaseId);
        if (w.isPresent()) {
            throw new ApiException(RequestError.RELEASE_WITHDRAWN, "release " + releaseId + " was withdrawn when trust root version "
                    + w.get().trustRootVersion() + " became current (" + w.get().code() + " under it): it is no longer assigned");
        }
    }

    /** @return the withdrawal of the release, if it was withdrawn */
    public Optional<Withdrawal> find(Connection c, long releaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT release_id, trust_root_version, code, withdrawn_at "
                + "FROM withdrawn_releases WHERE release_id = ?")) {
            ps.setLong(1, releaseId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Withdrawal(rs.getLong(1), rs.getLong(2), rs.getString(3), Timestamps.get(rs, "withdrawn_at")));
            }
        }
    }
}
