package io.gantry.backend.access;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.pki.OperatorRole;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a role check in front of every management resource method (a root resource whose
 * {@code @Path} starts with {@code rest/}): the role its {@link RequiresRole} declares, or, when
 * it declares none, a refusal for everyone. Runs after the identity filter has admitted only
 * {@code OU=operators} certificates to {@code /rest}.
 */
public final class RoleEnforcement implements DynamicFeature {
    private final SecurityEvents events;

    /** @param events where refusals are recorded */
    public RoleEnforcement(SecurityEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void configure(ResourceInfo info, FeatureContext context) {
        Class<?> type = info.getResourceClass();
        if (type == null || info.getResourceMethod() == null || !isManagement(type)) {
            return;
        }
        Optional<OperatorRole> role = declared(type, info.getResourceMethod());
        context.register(role.<Object>map(r -> new RoleCheckFilter(r, events))
                .orElseGet(() -> new UndeclaredRoleFilter(events)), Priorities.AUTHORIZATION);
    }

    /** @return whether {@code resource} serves the management API ({@code rest/...}) */
    public static boolean isManagement(Class<?> resource) {
        Path p = resource.getAnnotation(Path.class);
        return p != null && (p.value().startsWith("rest/") || p.value().startsWith("/rest/"));
    }

    /** @return the role {@code method} needs: its own {@link RequiresRole}, else its class's, else none */
    public static Optional<OperatorRole> declared(Class<?> resource, Method method) {
        RequiresRole own = method.getAnnotation(RequiresRole.class);
        if (own != null) {
            return Optional.of(own.value());
        }
        return Optional.ofNullable(resource.getAnnotation(RequiresRole.class)).map(RequiresRole::value);
    }
}
