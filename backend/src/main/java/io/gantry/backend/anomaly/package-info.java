/**
 * Anomaly detectors over the download log and the devices' check-ins (docs/operations.md,
 * "Anomaly detectors"): each detector is a pure function of an {@link io.gantry.backend.anomaly.AnomalyWindow}
 * and the {@link io.gantry.backend.config.AnomalyThresholds}, returning findings;
 * {@link io.gantry.backend.anomaly.AnomalyScan} reads the window from the database and runs them
 * periodically, and {@link io.gantry.backend.anomaly.CheckInLog} records which certificate called
 * from which address.
 */
package io.gantry.backend.anomaly;
