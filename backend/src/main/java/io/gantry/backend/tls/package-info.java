/** Mutual TLS: the HTTPS connector and the rule that turns a client certificate into an identity and a role. */
package io.gantry.backend.tls;
