/**
 * The gateway's own counters (docs/metrics.md): bundles count events through a {@link
 * io.gantry.api.metrics.MetricsSink} service, if one is registered, and the metrics bundle exposes
 * them with the gateway's state in the Prometheus text format.
 */
@Export
@Version("1.0.0")
package io.gantry.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
