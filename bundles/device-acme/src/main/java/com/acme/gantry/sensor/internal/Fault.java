package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Faults a simulated sensor can be given, each ending in one stable {@link DeviceFailureCode} with
 * the device on its previous firmware. Injected per device by a file {@value #FILE} in its flash
 * folder holding the fault's name (a test or the demo writes it and removes it to "repair" the
 * device), or by the plugin configuration ({@code faults}: {@code <deviceId>=<FAULT>}).
 */
enum Fault {
    /** The image transfer breaks off half way: the half-written slot is discarded. */
    TRANSFER_INTERRUPTED(DeviceFailureCode.TRANSFER_INTERRUPTED),
    /** The new slot does not boot at all: the bootloader stays on the old slot. */
    BOOT_FAILURE(DeviceFailureCode.BOOT_FAILED),
    /** The new slot starts but never confirms: the bootloader reverts to the old slot (A/B rollback). */
    NO_CONFIRMATION(DeviceFailureCode.BOOT_NOT_CONFIRMED),
    /** The inactive slot has no room for the image. */
    FLASH_FULL(DeviceFailureCode.FLASH_FULL);

    /** The file in a device's folder that injects a fault. */
    static final String FILE = "inject-fault";

    private final DeviceFailureCode code;

    Fault(DeviceFailureCode code) {
        this.code = code;
    }

    /** @return the code the device reports for this fault */
    DeviceFailureCode code() {
        return code;
    }

    /** @return the fault injected by file into the device at {@code dir}, or null */
    static Fault injected(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        return Files.exists(f) ? parse(Files.readString(f, StandardCharsets.UTF_8)) : null;
    }

    /** @throws IllegalArgumentException for a name that is no fault */
    static Fault parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
