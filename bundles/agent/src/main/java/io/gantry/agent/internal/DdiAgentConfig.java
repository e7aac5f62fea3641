package io.gantry.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the agent reaches the backend's device API. */
@ObjectClassDefinition(name = "Gantry DDI agent")
@interface DdiAgentConfig {

    @AttributeDefinition(description = "Backend base URL, https only, e.g. https://127.0.0.1:8443")
    String backendUrl();

    @AttributeDefinition(description = "Tenant in the device API path")
    String tenant() default "DEFAULT";

    @AttributeDefinition(description = "Seconds between polls when the backend names no interval", min = "1")
    int pollSeconds() default 300;

    @AttributeDefinition(description = "Abort a download that sends no data for this long (slow retrieval)", min = "1")
    int stallSeconds() default 30;

    @AttributeDefinition(description = "Abort a download slower than this on average, after a 60 s allowance", min = "1")
    int minBytesPerSecond() default 16384;
}
