/**
 * The operator's web console (docs/console.md): static files served on the mutual-TLS port under
 * {@code /console/}, for operator certificates only, with a strict Content-Security-Policy, and the
 * guard that refuses state-changing requests a browser sends on behalf of another site.
 */
package io.gantry.backend.console;
