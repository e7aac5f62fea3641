package io.gantry.backend.ddi;

import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.ActionTerms;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.WithdrawnReleaseRepository;
import io.gantry.backend.db.StatusReport;
import io.gantry.backend.db.TargetAttributeRepository;
import io.gantry.backend.devices.GatewayDevices;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The device side of deployments, always scoped to the calling controller: an action or release
 * that is not this controller's answers 404 exactly as a missing one does, so a device learns
 * nothing about others' assignments.
 */
public final class DeviceDeployments {
    private static final TargetAttributeRepository ATTRIBUTES = new TargetAttributeRepository();
    private final DeviceApiServices s;
    private final GatewayDevices devices = new GatewayDevices();

    /** @param services shared storage and clock */
    public DeviceDeployments(DeviceApiServices services) {
        this.s = services;
    }

    /**
     * What a poll answers besides the interval.
     *
     * @param open the oldest open action, or {@code null}
     * @param installed the newest finished action (hawkBit's installedBase), or {@code null}
     * @param attributesWanted whether the device has not reported its attributes yet (configData link)
     */
    public record PollState(ActionRow open, ActionRow installed, boolean attributesWanted) {
    }

    /** Records the poll (registering the target on first contact) and reads what to link. */
    public PollState poll(String controllerId) throws SQLException {
        Instant now = s.clock().instant();
        return s.database().inTransaction(c -> {
            s.targets().recordPoll(c, controllerId, now);
            return new PollState(s.actions().oldestOpen(c, controllerId).orElse(null),
                    s.actions().latestFinished(c, controllerId).orElse(null),
                    !ATTRIBUTES.hasAny(c, controllerId));
        });
    }

    /**
     * @return the finished action and its release, for installedBase
     * @throws ApiException 404 unless it is this controller's and FINISHED
     */
    public Deployment installed(String controllerId, long actionId) throws SQLException {
        return s.database().inTransaction(c -> {
            ActionRow a = s.actions().find(c, actionId)
                    .filter(x -> x.controllerId().equals(controllerId) && x.status() == ActionStatus.FINISHED)
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no installed action " + actionId
                            + " for this controller"));
            return new Deployment(a, s.releases().find(c, a.releaseId()).orElseThrow(() -> new SQLException("action without release")),
                    s.actions().terms(c, actionId));
        });
    }

    /** @return the action's status reports, newest first, at most {@code limit} (all when negative) */
    public java.util.List<StatusReport> history(long actionId, int limit) throws SQLException {
        java.util.List<StatusReport> all = new java.util.ArrayList<>(s.database().inTransaction(c -> s.actions().history(c, actionId)));
        java.util.Collections.reverse(all);
        return limit < 0 || limit >= all.size() ? all : all.subList(0, limit);
    }

    /** A deployment the device fetched: the action (now at least RUNNING), its release and its terms. */
    public record Deployment(ActionRow action, ReleaseRow release, ActionTerms terms) {
    }

    /** @return the action and its release, moving PENDING to RUNNING */
    public Deployment fetch(String controllerId, long actionId) throws SQLException {
        Instant now = s.clock().instant();
        return s.database().inTransaction(c -> {
            ActionRow a = s.actions().findForUpdate(c, actionId).filter(x -> x.controllerId().equals(controllerId))
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no such action for this controller"));
            if (a.status() == ActionStatus.PENDING) {
                s.actions().transition(c, actionId, ActionStatus.PENDING, ActionStatus.RUNNING, now);
                a = new ActionRow(a.id(), a.controllerId(), a.releaseId(), ActionStatus.RUNNING, a.createdAt(), now);
            }
            ReleaseRow r = s.releases().find(c, a.releaseId()).orElseThrow(() -> new SQLException("action without release"));
            return new Deployment(a, r, s.actions().terms(c, actionId));
        });
    }

    /**
     * Stores feedback; closed+success finishes the action, closed+failure fails it. A stored
     * closed+failure whose first detail line starts with a {@link RejectionCode} name is also
     * recorded as a security event with that code and the controller id as subject.
     *
     * @param remoteAddress the device's IP address, for the security event
     * @throws ApiException 404 if not this controller's action, 410 if it is already closed
     */
    public void feedback(String controllerId, long actionId, FeedbackMessage message, String remoteAddress)
            throws SQLException {
        Instant now = s.clock().instant();
        long releaseId = s.database().inTransaction(c -> {
            ActionRow a = s.actions().findForUpdate(c, actionId).filter(x -> x.controllerId().equals(controllerId))
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no such action for this controller"));
            if (!a.status().isOpen()) {
                throw new ApiException(RequestError.ACTION_CLOSED, "action " + actionId + " is already " + a.status());
            }
            s.actions().addStatus(c, actionId, new StatusReport(message.execution(), message.finished(), message.code(),
                    message.details(), now));
            // Per-device lines of a gateway (docs/devices.md) also update its model of the devices behind it.
            devices.recordFeedback(c, controllerId, actionId, message.details(), now);
            // Progress on an action being cancelled leaves it CANCELING: the cancellation waits for its answer.
            ActionStatus next = !message.closes() ? (a.status() == ActionStatus.CANCELING ? a.status() : ActionStatus.RUNNING)
                    : message.finished().equals("success") ? ActionStatus.FINISHED : ActionStatus.ERROR;
            if (next != a.status()) {
                s.actions().transition(c, actionId, a.status(), next, now);
            }
            return a.releaseId();
        });
        message.reportedRejection().ifPresent(code -> s.securityEvents().record(code, controllerId, remoteAddress,
                "action " + actionId + " (release " + releaseId + ") rejected by the device: " + message.details().get(0)));
    }

    /**
     * @return the named artifact of a release this controller has an action for
     * @throws ApiException 404 otherwise, or if the file name is unknown; 409 RELEASE_WITHDRAWN for a
     *     release a rotated trust root no longer authorizes
     */
    public DeploymentArtifact artifact(String controllerId, long releaseId, String filename)
            throws SQLException, IOException {
        Optional<ReleaseRow> release = s.database().inTransaction(c -> {
            if (!s.actions().hasActionFor(c, controllerId, releaseId)) {
                return Optional.<ReleaseRow>empty();
            }
            // A device that refused the cancellation of a withdrawn release gets none of it (fail closed).
            WithdrawnReleaseRepository.refuseIfWithdrawn(c, releaseId);
            return s.releases().find(c, releaseId);
        });
        if (release.isPresent()) {
            for (DeploymentArtifact a : DeploymentArtifact.of(release.get(), s.artifacts())) {
                if (a.filename().equals(filename)) {
                    return a;
                }
            }
        }
        throw new ApiException(RequestError.ARTIFACT_NOT_FOUND, "no such artifact for this controller");
    }
}
