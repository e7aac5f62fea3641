package io.gantry.verifier.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the verifier finds the release keys it trusts. */
@ObjectClassDefinition(name = "Gantry release verifier")
@interface VerifierConfig {

    @AttributeDefinition(description = "Folder of PEM public keys trusted to sign releases")
    String trustDir();
}
