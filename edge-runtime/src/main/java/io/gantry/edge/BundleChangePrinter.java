package io.gantry.edge;

import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/** Prints bundle installs, updates and removals, so an operator sees the gateway change itself. */
final class BundleChangePrinter implements SynchronousBundleListener {
    @Override
    public void bundleChanged(BundleEvent event) {
        String what = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "installed";
            case BundleEvent.UPDATED -> "updated to";
            case BundleEvent.UNINSTALLED -> "uninstalled";
            default -> null;
        };
        if (what != null) {
            System.out.printf("[gateway] bundle %s %s %s%n", event.getBundle().getSymbolicName(), what,
                    event.getBundle().getVersion());
        }
    }
}
