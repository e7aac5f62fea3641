/** The device API (hawkBit DDI v1 shape) under {@code /{tenant}/controller/v1/{controllerId}}. */
package io.gantry.backend.ddi;
