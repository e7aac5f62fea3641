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
}
