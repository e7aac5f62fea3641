package com.acme.gantry.sensor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the simulated Acme sensors keep their flash, which are attached, their keys and faults. */
@ObjectClassDefinition(name = "Acme sensor updater")
@interface AcmeSensorConfig {

    @AttributeDefinition(description = "Folder holding one sub-folder of flash per simulated sensor")
    String devicesDir();

    @AttributeDefinition(description = "Ids of the attached sensors; empty: sensor-1 .. sensor-<deviceCount>", required = false)
    String[] deviceIds() default {};

    @AttributeDefinition(description = "Number of simulated sensors when deviceIds is empty")
    int deviceCount() default 0;

    @AttributeDefinition(description = "Release trust root provisioned into each sensor at its first start (its"
            + " signatures beside it): the keys the sensor checks every release with. Without keys a sensor accepts nothing",
            required = false)
    String trustRootPath() default "";

    @AttributeDefinition(description = "Least threshold the sensors accept for any role of their trust root")
    int minimumThreshold() default 2;

    @AttributeDefinition(description = "Size of one flash slot, in bytes")
    long slotBytes() default SimulatedAbDevice.DEFAULT_SLOT_BYTES;

    @AttributeDefinition(description = "Injected faults, <deviceId>=<TRANSFER_INTERRUPTED|BOOT_FAILURE|NO_CONFIRMATION|FLASH_FULL>",
            required = false)
    String[] faults() default {};
}
