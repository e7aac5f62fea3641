/** Release-signing keys as files for development (PKCS#12 with a random password beside it). */
package io.gantry.signing;
