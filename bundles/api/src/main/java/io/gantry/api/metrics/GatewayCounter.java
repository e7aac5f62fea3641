package io.gantry.api.metrics;

/**
 * The gateway's counters, each with its exposed name (the text format adds {@code _total}), its
 * meaning and its one label. Label values are words or failure-code names, never ids: the sink
 * keeps at most {@link #MAX_LABELS} values per counter and counts the rest under {@code other}.
 */
public enum GatewayCounter {
    /** Polls of the backend's device API; label {@code result}: {@code ok} or {@code failed}. */
    POLLS("gantry_gateway_polls", "Polls of the backend's device API, by result (ok, failed).", "result"),
    /** Artifact downloads opened; label {@code result}: {@code ok}, {@code deferred} (429), {@code failed}. */
    DOWNLOADS("gantry_gateway_downloads", "Artifact downloads opened, by result (ok, deferred by the backend's quota, failed).",
            "result"),
    /** Artifact bytes read from the backend; no label. */
    DOWNLOAD_BYTES("gantry_gateway_download_bytes", "Artifact bytes read from the backend.", null),
    /** Releases the verifier refused; label {@code code}: the {@code RejectionCode}. */
    VERIFICATION_FAILURES("gantry_gateway_verification_failures", "Releases the verifier refused, by rejection code.", "code"),
    /** Bundle-set transactions that ended; label {@code outcome}: {@code COMMITTED} or the code it reverted with. */
    TRANSACTIONS("gantry_gateway_transactions",
            "Update coordinator transactions that ended, by outcome (COMMITTED, or the code of the revert).", "outcome"),
    /** Certificate renewal attempts over EST; label {@code result}: {@code renewed} or the failure code. */
    RENEWAL_ATTEMPTS("gantry_gateway_renewal_attempts", "Certificate renewal attempts over EST, by result (renewed, or the failure code).",
            "result");

    /** Most distinct label values kept per counter; further values are counted under {@code other}. */
    public static final int MAX_LABELS = 32;
    private final String metricName;
    private final String help;
    private final String labelName;

    GatewayCounter(String metricName, String help, String labelName) {
        this.metricName = metricName;
        this.help = help;
        this.labelName = labelName;
    }

    /** @return the exposed name, without the {@code _total} the text format adds */
    public String metricName() {
        return metricName;
    }

    /** @return what it counts, in one line */
    public String help() {
        return help;
    }

    /** @return the name of its one label, or {@code null} for a counter without labels */
    public String labelName() {
        return labelName;
    }
}
