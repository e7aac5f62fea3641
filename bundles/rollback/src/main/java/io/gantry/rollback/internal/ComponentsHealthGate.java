package io.gantry.rollback.internal;

import io.gantry.coordinator.HealthGate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The {@code components} health gate: no Declarative Services component of any bundle failed to
 * activate, and none that has its configuration lacks a required service. A verifier whose
 * component cannot start, or a keystore that no longer offers the identity the agent needs, fails
 * here and the coordinator restores the previous set.
 */
@Component(property = HealthGate.NAME + "=components")
public final class ComponentsHealthGate implements HealthGate {
    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    @Activate
    public ComponentsHealthGate(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public String problem() {
        for (Bundle b : context.getBundles()) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        return "component " + d.name + " failed to activate: " + c.failure;
                    }
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        return "component " + d.name + " lacks a required service (" + missing(c) + ")";
                    }
                }
            }
        }
        return null;
    }

    private static String missing(ComponentConfigurationDTO c) {
        StringBuilder sb = new StringBuilder();
        for (var u : c.unsatisfiedReferences) {
            sb.append(sb.length() == 0 ? "" : ", ").append(u.name).append(' ').append(u.target == null ? "" : u.target);
        }
        return sb.toString().trim();
    }
}
