/**
 * Release-signing keys: PKCS#12 files with a random password beside them for development
 * ({@link io.gantry.signing.SigningKeyFiles}), or non-extractable keys on a PKCS#11 token
 * ({@link io.gantry.signing.Pkcs11SigningKeys}, configured by {@link io.gantry.signing.Pkcs11TokenConfig}).
 */
package io.gantry.signing;
