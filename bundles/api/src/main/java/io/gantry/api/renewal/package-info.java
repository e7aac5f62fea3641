/** Certificate renewal: the gateway's renewal phase and status, and the typed renewal failures. */
@Export
@Version("1.1.0")
package io.gantry.api.renewal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
