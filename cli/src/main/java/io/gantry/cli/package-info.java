/** The {@code gantry} command line (picocli): PKI, signing keys, releases, backend, demo. */
package io.gantry.cli;
