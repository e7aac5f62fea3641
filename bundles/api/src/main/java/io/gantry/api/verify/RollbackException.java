package io.gantry.api.verify;

/** A genuine release older than what the gateway already installed for the same stream. */
public final class RollbackException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final String current;
    private final String offered;

    /**
     * @param what "version" or "security counter"
     * @param current the highest value already installed
     * @param offered the value the release carries
     */
    public RollbackException(String what, String current, String offered) {
        super(RejectionCode.ROLLBACK, what + " " + offered + " is not above the installed " + current);
        this.current = current;
        this.offered = offered;
    }

    /** @return the installed value */
    public String current() {
        return current;
    }

    /** @return the offered value */
    public String offered() {
        return offered;
    }
}
