package io.gantry.api.counter;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Named counters that only move up. Implementations differ in what protects them (a TPM NV
 * counter, a PKCS#11 token object, a file); {@link #mechanism()} says which, so a gateway can
 * report how strong its rollback protection is.
 */
@ProviderType
public interface MonotonicCounter {

    /**
     * @return the counter's value; 0 for a counter never advanced
     * @throws IOException if the store cannot be read (a missing token, a corrupt value); callers
     *     refuse whatever depended on the value, they never take it for 0
     */
    long read(String name) throws IOException;

    /**
     * Raises a counter; durable when this returns.
     *
     * @throws IllegalArgumentException if {@code value} is below the current value (a counter
     *     never decreases; equal is a no-op)
     * @throws IOException if the new value could not be stored; the old value stays
     */
    void advance(String name, long value) throws IOException;

    /** @return what protects the counters, e.g. "file (no hardware protection)" */
    String mechanism();
}
