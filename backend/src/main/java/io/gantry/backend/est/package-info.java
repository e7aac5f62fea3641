/**
 * Enrollment over Secure Transport (RFC 7030) on the backend's mutual-TLS connector:
 * {@code /.well-known/est/cacerts}, {@code simpleenroll} (one-time factory credential) and
 * {@code simplereenroll} (the device's current certificate). docs/backend-api.md, "EST".
 */
package io.gantry.backend.est;
