/** SPI for vendor plugins that update a downstream device (firmware behind the gateway). */
@Export
@Version("3.1.0")
package io.gantry.api.device;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
