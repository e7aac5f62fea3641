package io.gantry.coordinator;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check a bundle contributes to the update health gate, registered as a service with the
 * property {@value #NAME} naming it. After a switch the coordinator asks every gate, within the
 * deadline, until each passes; a gate the configuration requires must be registered (by the new
 * bundles) and pass, or the previous set is restored. A gate that already failed before the switch
 * is reported but not held against the new set.
 */
@ConsumerType
public interface HealthGate {
    /** Service property naming the gate, e.g. {@code components}, {@code backend}. */
    String NAME = "gantry.health.gate";

    /**
     * Checks once; called on a coordinator thread and abandoned when it overruns the deadline.
     *
     * @return null when healthy, else why not in words
     * @throws Exception when the check itself fails (counts as unhealthy)
     */
    String problem() throws Exception;
}
