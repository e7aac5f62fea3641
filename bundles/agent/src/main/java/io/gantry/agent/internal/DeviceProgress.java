package io.gantry.agent.internal;

import io.gantry.api.verify.ReleaseSource;

/**
 * Where per-device progress lines go while a firmware release is applied: the DDI source sends
 * each as "proceeding" feedback on its action. A line that cannot be sent is logged, never a
 * reason to stop the update.
 */
@FunctionalInterface
interface DeviceProgress {
    /** Progress that goes nowhere (a local archive, tests). */
    DeviceProgress NONE = line -> {
    };

    /** @param line one {@link DeviceLine} */
    void deviceProgress(String line);

    /** @return the source's progress channel, or {@link #NONE} */
    static DeviceProgress of(ReleaseSource source) {
        return source instanceof DeviceProgress p ? p : NONE;
    }
}
