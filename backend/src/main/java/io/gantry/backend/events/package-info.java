/**
 * Security events: every rejection the backend makes (refused upload, 403 from the identity rule,
 * failed TLS handshake, a device reporting a release rejection), recorded durably for operators.
 */
package io.gantry.backend.events;
