/** Value types of a Gantry release: its signed metadata and the payloads it names. */
@Export
@Version("1.1.0")
package io.gantry.api.release;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
