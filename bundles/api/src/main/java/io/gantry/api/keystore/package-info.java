/** Device identity: the key and certificate chain a gateway presents over mutual TLS, and its renewal. */
@Export
@Version("1.1.0")
package io.gantry.api.keystore;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
