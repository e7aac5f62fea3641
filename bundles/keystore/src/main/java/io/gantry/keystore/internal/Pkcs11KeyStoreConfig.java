package io.gantry.keystore.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where the gateway's token-held identity lives. Set exactly one of {@code slot} and
 * {@code slotListIndex}: SunPKCS11 on Java 17 cannot select a token by its label.
 */
@ObjectClassDefinition(name = "Gantry PKCS#11 keystore",
        description = "Device identity whose private key stays on a PKCS#11 token")
@interface Pkcs11KeyStoreConfig {

    @AttributeDefinition(description = "PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so")
    String library();

    @AttributeDefinition(description = "PKCS#11 slot id of the token (softhsm2-util --show-slots), or -1")
    int slot() default -1;

    @AttributeDefinition(description = "Index into the module's slot list, or -1 (use slot instead)")
    int slotListIndex() default -1;

    @AttributeDefinition(description = "File holding the token user PIN (read once at activation, never logged)")
    String pinFile();

    @AttributeDefinition(description = "Alias (CKA_LABEL) of the provisioned device key and its certificate chain on "
            + "the token; renewals store theirs as <keyAlias>#1, #2, ... and the newest complete one is used")
    String keyAlias();

    @AttributeDefinition(description = "PEM file with the CA certificate(s) trusted for the backend's server certificate")
    String trustAnchorPath();
}
