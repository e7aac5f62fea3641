package io.gantry.localddi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The local hawkBit DDI endpoint: which devices it serves, where it listens, its TLS identity and
 * the CA of the devices' certificates, and the artifact cache's limits (docs/gateway.md).
 */
@ObjectClassDefinition(name = "Local DDI endpoint for Linux devices (SWUpdate suricatta)")
@interface LocalDdiConfig {

    @AttributeDefinition(description = "Device type served; a FIRMWARE release must target exactly this")
    String deviceType() default "swupdate-device";

    @AttributeDefinition(description = "Controller ids of the devices behind this gateway (their certificate CN)")
    String[] deviceIds();

    @AttributeDefinition(description = "Address the endpoint listens on (the gateway's local network)")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port of the endpoint (HTTPS)")
    int port() default 8443;

    @AttributeDefinition(description = "hawkBit tenant in the devices' URLs")
    String tenant() default "DEFAULT";

    @AttributeDefinition(description = "PKCS#12 file with the endpoint's server key and certificate chain")
    String serverKeyStorePath();

    @AttributeDefinition(description = "File holding the PKCS#12 password")
    String serverPasswordFile();

    @AttributeDefinition(description = "PEM file of the CA certificates that issue the devices' client certificates")
    String clientCaPath();

    @AttributeDefinition(description = "Folder of the verifying artifact cache")
    String cacheDir();

    @AttributeDefinition(description = "Most bytes the cache holds; least recently used artifacts not on offer go first")
    long cacheMaxBytes() default 1L << 30;

    @AttributeDefinition(description = "Largest single artifact the cache accepts")
    long artifactMaxBytes() default 512L << 20;

    @AttributeDefinition(description = "Polling interval told to the devices, in seconds")
    int pollSeconds() default 5;

    @AttributeDefinition(description = "Age in seconds after which the CRL of the devices' issuer is fetched again "
            + "(a revoked device is refused within about this time)")
    int crlRefreshSeconds() default 300;

    @AttributeDefinition(description = "Minutes past its nextUpdate a held CRL still answers when no newer one can be fetched; "
            + "0 refuses every device at nextUpdate (fail closed)")
    int crlGraceMinutes() default 0;

    @AttributeDefinition(description = "Longest wait for a device's final report, in minutes (below the agent's 15-minute plugin limit)")
    int deviceTimeoutMinutes() default 14;
}
