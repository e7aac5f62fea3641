package io.gantry.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@link TextfileMetrics}, PID {@code io.gantry.metrics}. */
@ObjectClassDefinition(name = "Gantry gateway metrics")
public @interface MetricsConfig {
    /** @return the file written, e.g. {@code <home>/state/metrics.prom}; a node_exporter textfile collector reads its folder */
    @AttributeDefinition(description = "Prometheus text file written (atomically) with the gateway's metrics")
    String path();

    /** @return seconds between two writes of the file */
    @AttributeDefinition(description = "Seconds between writes (1..3600)")
    int intervalSeconds() default 15;
}
