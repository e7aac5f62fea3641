package io.gantry.keystore.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the gateway's PKCS#12 identity and the CA it trusts for the backend live. */
@ObjectClassDefinition(name = "Gantry file keystore", description = "Device identity from a PKCS#12 file")
@interface FileKeyStoreConfig {

    @AttributeDefinition(description = "PKCS#12 file with the device key and its certificate chain")
    String keystorePath();

    @AttributeDefinition(description = "File holding the PKCS#12 password (read once, never logged)")
    String passwordFile();

    @AttributeDefinition(description = "PEM file with the CA certificate(s) trusted for the backend's server certificate")
    String trustAnchorPath();
}
