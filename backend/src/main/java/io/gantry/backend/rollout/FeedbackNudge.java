package io.gantry.backend.rollout;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.regex.Pattern;

/**
 * Nudges the rollout scheduler after each accepted device feedback (deployment or cancelAction),
 * so a group advances, or a rollout pauses, without waiting for the next tick.
 */
public final class FeedbackNudge implements ContainerResponseFilter {
    private static final Pattern FEEDBACK = Pattern.compile(".*/controller/v1/[^/]+/(deploymentBase|cancelAction)/[0-9]+/feedback");
    private final RolloutScheduler scheduler;

    /** @param scheduler what to nudge */
    public FeedbackNudge(RolloutScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if ("POST".equals(request.getMethod()) && response.getStatus() / 100 == 2
                && FEEDBACK.matcher(request.getUriInfo().getPath()).matches()) {
            scheduler.nudge();
        }
    }
}
