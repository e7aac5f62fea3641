/** Monotonic counters for anti-rollback state that must never decrease, across restarts and reverts. */
@Export
@Version("1.0.0")
package io.gantry.api.counter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
