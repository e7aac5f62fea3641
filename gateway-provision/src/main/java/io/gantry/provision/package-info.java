/**
 * Provisioning a gateway home: validated settings, the first identity enrolled over EST with a
 * factory credential, the trust root, and the FileInstall configuration the gateway's bundles read.
 */
package io.gantry.provision;
