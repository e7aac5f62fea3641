package io.gantry.rollback.internal;

import io.gantry.coordinator.HealthGate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    /** At most this many components are named, the failed activations first (they are the cause more often). */
    static final int MAX_NAMED = 6;

    @Override
    public String problem() {
        List<String> failed = new ArrayList<>();
        List<String> unsatisfied = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        failed.add("component " + d.name + " failed to activate: " + c.failure);
                    } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        unsatisfied.add("component " + d.name + " lacks a required service (" + missing(c) + ")");
                    }
                }
            }
        }
        // Root causes first: a component that threw on activation, then the ones that throw
        // because it did, then those left without a service.
        failed.sort(Comparator.comparing((String line) -> line.contains("Unable to get service")));
        failed.addAll(unsatisfied);
        return failed.isEmpty() ? null : String.join("; ", failed.subList(0, Math.min(MAX_NAMED, failed.size())));
    }

    private static String missing(ComponentConfigurationDTO c) {
        StringBuilder sb = new StringBuilder();
        for (var u : c.unsatisfiedReferences) {
            sb.append(sb.length() == 0 ? "" : ", ").append(u.name).append(' ').append(u.target == null ? "" : u.target);
        }
        return sb.toString().trim();
    }
}
