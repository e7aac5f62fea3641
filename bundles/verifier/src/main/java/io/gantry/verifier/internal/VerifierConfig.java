package io.gantry.verifier.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the verifier finds the provisioned release trust root, and the local policy floor. */
@ObjectClassDefinition(name = "Gantry release verifier")
@interface VerifierConfig {

    @AttributeDefinition(description = "The provisioned trust-root.json; its signatures are in trust-root.sigs.json beside it")
    String trustRootPath();

    @AttributeDefinition(description = "Smallest threshold any trust-root role may have (two-person rule)", min = "1")
    int minimumThreshold() default 2;

    /**
     * Which {@code MonotonicCounter} holds the anti-rollback floors; the DS reference target of
     * {@code counters} (property {@code counters.target}). Exactly the named counter is used: when it
     * is missing, the verifier does not start and nothing is installed.
     */
    @AttributeDefinition(description = "Counter service filter: (gantry.counter=file) for the file in the rollback bundle's data, "
                    + "(gantry.counter=pkcs11) for token objects (io.gantry.counter.pkcs11)")
    String counters_target() default SignedReleaseVerifier.FILE_COUNTERS;
}
