package io.gantry.counter.pkcs11.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Which token holds the anti-rollback counters. Set exactly one of {@code slot} and {@code tokenLabel}. */
@ObjectClassDefinition(name = "Gantry PKCS#11 monotonic counter",
        description = "Anti-rollback counters stored as objects on a PKCS#11 token")
@interface Pkcs11CounterConfig {

    @AttributeDefinition(description = "PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so")
    String library();

    @AttributeDefinition(description = "PKCS#11 slot id of the token (softhsm2-util --show-slots), or -1")
    long slot() default -1;

    @AttributeDefinition(description = "Label of the token, or empty (use slot instead)")
    String tokenLabel() default "";

    @AttributeDefinition(description = "File holding the token user PIN (read at login, never logged)")
    String pinFile();
}
