/** Release verification: proof objects and the typed rejections a verifier throws. */
@Export
@Version("1.4.0")
package io.gantry.api.verify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
