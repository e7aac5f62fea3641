package io.gantry.cli.mgmt;

/** The management API refused a request; carries the HTTP status and the backend's stable code. */
public final class ManagementException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    ManagementException(int status, String code, String message) {
        super(code + " (HTTP " + status + "): " + message);
        this.status = status;
        this.code = code;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the backend's stable error code, e.g. BAD_SIGNATURE */
    public String code() {
        return code;
    }
}
