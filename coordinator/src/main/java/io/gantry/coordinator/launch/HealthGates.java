package io.gantry.coordinator.launch;

import io.gantry.coordinator.HealthGate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Asks the health gates. Every gate call runs on a thread of its own and is abandoned at the
 * deadline, so a gate that hangs cannot hold the coordinator. Besides the gates bundles contribute,
 * one check is the coordinator's own: every bundle of the set, and every bundle that was active
 * before the switch, is active.
 */
final class HealthGates {
    private static final long ROUND_PAUSE_MILLIS = 200;
    private final BundleContext system;
    private final Clock clock;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gantry-health-gate");
        t.setDaemon(true);
        return t;
    });

    HealthGates(BundleContext system, Clock clock) {
        this.system = system;
        this.clock = clock;
    }

    /** @return the names of the gates that fail now (asked once each, within the deadline) */
    Set<String> failingNow(Duration deadline) {
        return ask(clock.instant().plus(deadline)).keySet();
    }

    /**
     * Asks until every gate passes or the deadline passes.
     *
     * @param required gates that must be registered and pass
     * @param excused gates that already failed before the switch
     * @param mustBeActive bundles that must be active
     * @return null when healthy, else every problem of the last round
     */
    String awaitHealthy(Duration deadline, Set<String> required, Set<String> excused, Collection<Long> mustBeActive)
            throws InterruptedException {
        Instant end = clock.instant().plus(deadline);
        while (true) {
            List<String> problems = new ArrayList<>();
            for (long id : mustBeActive) {
                Bundle b = system.getBundle(id);
                if (b == null || b.getState() != Bundle.ACTIVE && !BundleSetSwitch.isFragment(b)) {
                    problems.add("bundle " + (b == null ? "#" + id : b.getSymbolicName()) + " is not active");
                }
            }
            Map<String, String> failing = ask(end);
            for (String gate : required) {
                if (!excused.contains(gate) && !failing.containsKey(gate) && !registered().contains(gate)) {
                    problems.add("gate " + gate + " is not registered");
                }
            }
            failing.forEach((gate, why) -> {
                if (!excused.contains(gate)) {
                    problems.add("gate " + gate + ": " + why);
                }
            });
            if (problems.isEmpty()) {
                return null;
            }
            if (!clock.instant().plus(Duration.ofMillis(ROUND_PAUSE_MILLIS)).isBefore(end)) {
                return String.join("; ", problems);
            }
            Thread.sleep(ROUND_PAUSE_MILLIS);
        }
    }

    private Set<String> registered() {
        Set<String> names = new java.util.TreeSet<>();
        for (ServiceReference<HealthGate> ref : references()) {
            names.add(String.valueOf(ref.getProperty(HealthGate.NAME)));
        }
        return names;
    }

    /** @return gate name to problem, for the gates that fail now */
    private Map<String, String> ask(Instant end) {
        Map<String, String> failing = new LinkedHashMap<>();
        for (ServiceReference<HealthGate> ref : references()) {
            String name = String.valueOf(ref.getProperty(HealthGate.NAME));
            HealthGate gate = system.getService(ref);
            if (gate == null) {
                continue;
            }
            Future<String> answer = calls.submit(gate::problem);
            try {
                long wait = Math.max(1, Duration.between(clock.instant(), end).toMillis());
                String problem = answer.get(wait, TimeUnit.MILLISECONDS);
                if (problem != null) {
                    failing.put(name, problem);
                }
            } catch (TimeoutException e) {
                answer.cancel(true);
                failing.put(name, "no answer within the deadline");
            } catch (ExecutionException e) {
                failing.put(name, "check failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failing.put(name, "interrupted");
            } finally {
                try {
                    system.ungetService(ref);
                } catch (IllegalStateException e) {
                    // The gate's bundle went away meanwhile: nothing to release.
                }
            }
        }
        return failing;
    }

    private List<ServiceReference<HealthGate>> references() {
        try {
            return new ArrayList<>(system.getServiceReferences(HealthGate.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter was given", e);
        }
    }

    void close() {
        calls.shutdownNow();
    }
}
