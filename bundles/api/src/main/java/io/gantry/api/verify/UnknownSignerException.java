package io.gantry.api.verify;

import java.util.List;

/** None of the release's signatures comes from a key in the gateway's trust anchors. */
public final class UnknownSignerException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final List<String> keyIds;

    /** @param keyIds the key ids the signatures named */
    public UnknownSignerException(List<String> keyIds) {
        super(RejectionCode.UNKNOWN_SIGNER, "no signature from a trusted release key (signed by " + keyIds + ")");
        this.keyIds = List.copyOf(keyIds);
    }

    /** @return the untrusted key ids the signatures named */
    public List<String> keyIds() {
        return keyIds;
    }
}
