package io.gantry.backend.access;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/** Default deny: a management endpoint without {@link RequiresRole} answers 403 {@code ROLE_NOT_DECLARED} to everyone. */
final class UndeclaredRoleFilter implements ContainerRequestFilter {
    private final SecurityEvents events;

    UndeclaredRoleFilter(SecurityEvents events) {
        this.events = events;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        RoleCheckFilter.refuse(request, events, SecurityEventCode.ROLE_NOT_DECLARED,
                "this endpoint declares no operator role, so nobody may call it");
    }
}
