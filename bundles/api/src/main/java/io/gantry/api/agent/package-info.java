/** The update agent: applies releases to the gateway and to the devices behind it. */
@Export
@Version("2.2.0")
package io.gantry.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
