package com.acme.gantry.sensor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the simulated Acme sensors keep their flash, and which are attached. */
@ObjectClassDefinition(name = "Acme sensor updater")
@interface AcmeSensorConfig {

    @AttributeDefinition(description = "Folder holding one sub-folder of flash per simulated sensor")
    String devicesDir();

    @AttributeDefinition(description = "Ids of the attached sensors")
    String[] deviceIds();
}
