package io.gantry.api.tls;

/** What the gateway does when it cannot learn whether the backend's server certificate is revoked. */
public enum RevocationPolicy {
    /** No valid revocation answer (staple, fetched OCSP or CRL) refuses the connection. */
    HARD_FAIL("hard-fail"),
    /** Only an answer that says REVOKED refuses; no answer, or an invalid one, is accepted. */
    SOFT_FAIL("soft-fail");

    private final String id;

    RevocationPolicy(String id) {
        this.id = id;
    }

    /** @return the name used in {@code trust-root.json}: {@code hard-fail} or {@code soft-fail} */
    public String id() {
        return id;
    }

    /**
     * @return the policy named {@code id}
     * @throws IllegalArgumentException for any other name
     */
    public static RevocationPolicy fromId(String id) {
        for (RevocationPolicy p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown revocation policy " + id);
    }
}
