package io.gantry.coordinator;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bundle-set transaction to run.
 *
 * @param transactionId a caller-chosen id (letters, digits, {@code . _ -}), unique per gateway
 * @param description what is being installed, for logs and reports
 * @param bundles the bundles to install or update, each at most once
 */
public record BundleSetRequest(String transactionId, String description, List<StagedBundle> bundles) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** @throws IllegalArgumentException for an unusable id, no bundles, or a bundle named twice */
    public BundleSetRequest {
        Objects.requireNonNull(description, "description");
        if (transactionId == null || !ID.matcher(transactionId).matches()) {
            throw new IllegalArgumentException("transaction id must match " + ID + ": " + transactionId);
        }
        bundles = List.copyOf(bundles);
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one bundle");
        }
        if (bundles.stream().map(StagedBundle::symbolicName).distinct().count() != bundles.size()) {
            throw new IllegalArgumentException("a bundle is named twice in transaction " + transactionId);
        }
    }
}
