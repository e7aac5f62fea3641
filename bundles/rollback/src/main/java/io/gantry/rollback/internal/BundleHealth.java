package io.gantry.rollback.internal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The health gate after a bundle update: rewire, then ACTIVE with no failed or unsatisfied component. */
final class BundleHealth {
    private static final long REFRESH_TIMEOUT_SECONDS = 30;

    private BundleHealth() {
    }

    /** Refreshes the bundle's wiring and waits until the framework reports it done. */
    static void refresh(BundleContext context, Bundle bundle) throws BundleException {
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        wiring.refreshBundles(List.of(bundle), event -> done.countDown());
        try {
            if (!done.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new BundleException("wiring refresh did not finish in " + REFRESH_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while refreshing", e);
        }
    }

    /** @return why the bundle is unhealthy after a refresh, or null when it is healthy */
    static String problem(BundleContext context, Bundle bundle, ServiceComponentRuntime scr) {
        try {
            refresh(context, bundle);
        } catch (BundleException e) {
            return e.getMessage();
        }
        if (bundle.getState() != Bundle.ACTIVE && !isFragment(bundle)) {
            try {
                bundle.start();
            } catch (BundleException e) {
                return "does not start: " + e.getMessage();
            }
        }
        if (scr == null) {
            return null;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return "component " + d.name + " failed to activate: " + c.failure;
                }
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    return "component " + d.name + " has unsatisfied references";
                }
            }
        }
        return null;
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders().get("Fragment-Host") != null;
    }

}
