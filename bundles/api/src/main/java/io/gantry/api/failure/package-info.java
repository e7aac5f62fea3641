/**
 * The one shape of a failure code: every stable code a device, an operator or a log reader can
 * see is a value of an enum implementing {@link io.gantry.api.failure.FailureCode}; the catalogue
 * with meanings is docs/failure-codes.md.
 */
@Export
@Version("1.0.0")
package io.gantry.api.failure;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
