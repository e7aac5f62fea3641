package io.gantry.transport.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the gateway's MQTT broker is ({@code conf/io.gantry.transport.mqtt.config}). */
@ObjectClassDefinition(name = "Gantry MQTT push transport")
@interface MqttTransportConfig {

    @AttributeDefinition(description = "Broker URL, TLS only, e.g. ssl://127.0.0.1:8883")
    String brokerUrl();

    @AttributeDefinition(description = "Seconds between reconnect attempts at most", min = "1")
    int maxReconnectSeconds() default 60;
}
