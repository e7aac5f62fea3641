package io.gantry.backend.ddi;

/** Media types of the device API. */
public final class DdiMediaTypes {
    /** HAL JSON, what hawkBit's DDI answers with. */
    public static final String HAL_JSON = "application/hal+json";

    private DdiMediaTypes() {
    }
}
