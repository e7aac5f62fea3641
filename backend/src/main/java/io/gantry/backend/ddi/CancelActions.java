package io.gantry.backend.ddi;

import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.StatusReport;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The device side of hawkBit's cancelAction: while an operator's cancellation waits, the poll links
 * {@code cancelAction/{id}} instead of the deployment; the device answers on its feedback resource.
 * {@code closed}+{@code success} confirms (CANCELED); {@code rejected}, or {@code closed}+
 * {@code failure}, refuses (the action goes on RUNNING, as in hawkBit); anything else is progress.
 */
public final class CancelActions {
    /** First detail line of a status stored from cancelAction feedback, so the history tells the two apart. */
    public static final String CANCEL_ANSWER = "(answer to cancelAction)";
    private final DeviceApiServices s;

    /** @param services shared storage and clock */
    public CancelActions(DeviceApiServices services) {
        this.s = services;
    }

    /** @throws ApiException 404 unless the action is this controller's and being cancelled */
    public ActionRow require(String controllerId, long actionId) throws SQLException {
        return s.database().inTransaction(c -> s.actions().find(c, actionId)
                .filter(a -> a.controllerId().equals(controllerId) && a.status() == ActionStatus.CANCELING)
                .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no cancellation of action " + actionId
                        + " for this controller")));
    }

    /** Stores the device's answer and moves the action as it says. */
    public ActionStatus feedback(String controllerId, long actionId, FeedbackMessage message) throws SQLException {
        Instant now = s.clock().instant();
        return s.database().inTransaction(c -> {
            ActionRow a = s.actions().findForUpdate(c, actionId).filter(x -> x.controllerId().equals(controllerId))
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no such action for this controller"));
            if (a.status() != ActionStatus.CANCELING) {
                throw new ApiException(RequestError.ACTION_CLOSED, "action " + actionId + " is " + a.status()
                        + ", not being cancelled");
            }
            java.util.List<String> details = new java.util.ArrayList<>();
            details.add(CANCEL_ANSWER);
            details.addAll(message.details());
            s.actions().addStatus(c, actionId, new StatusReport(message.execution(), message.finished(), message.code(),
                    details, now));
            boolean refused = message.execution().equals("rejected") || message.closes() && message.finished().equals("failure");
            ActionStatus next = refused ? ActionStatus.RUNNING : message.closes() ? ActionStatus.CANCELED : a.status();
            if (next != a.status()) {
                s.actions().transition(c, actionId, a.status(), next, now);
            }
            return next;
        });
    }
}
