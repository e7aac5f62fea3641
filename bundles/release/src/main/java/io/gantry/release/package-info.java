/**
 * The signed release format (docs/release-format.md): canonical metadata JSON, the detached
 * signature envelope, the release archive, and the checks every party (CLI, backend, gateway)
 * runs the same way. Plain Java plus Jackson; no OSGi API.
 */
@Export
@Version("1.2.0")
package io.gantry.release;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
