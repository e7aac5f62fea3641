/**
 * The gateway's policy for the backend's TLS server chain (docs/gateway.md, TLS policy): pinned
 * CA public keys and the revocation policy, carried by the signed release trust root so that they
 * change only through a signed trust update.
 */
@Export
@Version("1.1.0")
package io.gantry.api.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
