/**
 * The Gantry certificate authority: ECDSA P-256 root, intermediate, TLS server, device and
 * operator certificates (BouncyCastle bcpkix), and the folder layout the CLI and backend share
 * ({@link io.gantry.pki.PkiDirectory}).
 */
package io.gantry.pki;
