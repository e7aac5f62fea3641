package io.gantry.api.verify;

import java.util.List;

/** Fewer distinct trusted signers than the role requires; carries who did sign. */
public final class ThresholdNotMetException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final String role;
    private final List<String> signers;
    private final int threshold;

    /**
     * @param role the role whose threshold applies (e.g. "releases/1", "vendor/acme", "root")
     * @param signers names of the distinct trusted keys whose signatures verified
     * @param threshold how many the role requires
     */
    public ThresholdNotMetException(String role, List<String> signers, int threshold) {
        super(RejectionCode.THRESHOLD_NOT_MET, "role " + role + " needs " + threshold + " distinct signers, has "
                + signers.size() + " " + signers);
        this.role = role;
        this.signers = List.copyOf(signers);
        this.threshold = threshold;
    }

    /** @return the role */
    public String role() {
        return role;
    }

    /** @return the distinct trusted signers that verified */
    public List<String> signers() {
        return signers;
    }

    /** @return the threshold */
    public int threshold() {
        return threshold;
    }
}
