/**
 * Certificate revocation: the registry of every issued certificate, CRL and OCSP (RFC 5280, RFC
 * 6960) on a plain-HTTP listener, the client-certificate check at the TLS layer and per request,
 * and mass revocation (docs/backend-api.md, "Revocation").
 */
package io.gantry.backend.revocation;
