/** Installing verified releases with a way back: the previous version is kept until the new one proves healthy. */
@Export
@Version("2.0.0")
package io.gantry.api.rollback;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
