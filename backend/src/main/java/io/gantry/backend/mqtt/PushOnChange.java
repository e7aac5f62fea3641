package io.gantry.backend.mqtt;

import io.gantry.backend.mgmt.Views;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * Pushes a command after a management request has changed what a device should do, once the
 * change is committed (the response is being written): an assignment
 * ({@code POST /rest/v1/targets/{id}/actions}, 201) pushes {@code checkIn}, a cancellation
 * ({@code POST /rest/v1/actions/{id}/cancel}, 200) {@code cancel}, and an accepted trust-root
 * release ({@code POST /rest/v1/releases}, 201, kind {@code trust_root}) {@code trustRoot} to the fleet.
 */
public final class PushOnChange implements ContainerResponseFilter {
    private final CommandPush push;
    private final Clock clock;

    /**
     * @param push where commands go
     * @param clock stamps each command
     */
    public PushOnChange(CommandPush push, Clock clock) {
        this.push = Objects.requireNonNull(push, "push");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!"POST".equals(request.getMethod())) {
            return;
        }
        Object entity = response.getEntity();
        int status = response.getStatus();
        if (status == 201 && entity instanceof Views.Created created) {
            String controllerId = request.getUriInfo().getPathParameters().getFirst("controllerId");
            if (MqttTopics.usableId(controllerId)) {
                push.push(new DeviceCommand(DeviceCommand.CHECK_IN, controllerId, created.actionId(), clock.instant()));
            }
        } else if (status == 200 && entity instanceof Views.Action action
                && request.getUriInfo().getPath().endsWith("/cancel") && MqttTopics.usableId(action.controllerId())) {
            push.push(new DeviceCommand(DeviceCommand.CANCEL, action.controllerId(), action.id(), clock.instant()));
        } else if (status == 201 && entity instanceof Views.Uploaded uploaded
                && "trust_root".equals(uploaded.kind().toLowerCase(Locale.ROOT))) {
            push.push(DeviceCommand.trustRoot(uploaded.id(), clock.instant()));
        }
    }
}
