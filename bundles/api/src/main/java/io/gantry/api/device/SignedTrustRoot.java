package io.gantry.api.device;

import java.util.Arrays;
import java.util.Objects;

/**
 * A release trust root the gateway rotated to ({@code trust-root.json} and its signature envelope,
 * docs/release-format.md), handed to devices that hold release keys of their own so that they
 * rotate along: a device accepts it only as the successor of the root it holds, signed by the root
 * role of both, exactly as the gateway did.
 *
 * @param trustRoot the exact trust-root bytes
 * @param signatures the signature envelope over them
 */
public record SignedTrustRoot(byte[] trustRoot, byte[] signatures) {

    /** Copies the arrays. */
    public SignedTrustRoot {
        trustRoot = Objects.requireNonNull(trustRoot, "trustRoot").clone();
        signatures = Objects.requireNonNull(signatures, "signatures").clone();
    }

    /** @return a copy of the trust-root bytes */
    @Override
    public byte[] trustRoot() {
        return trustRoot.clone();
    }

    /** @return a copy of the signature envelope */
    @Override
    public byte[] signatures() {
        return signatures.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTrustRoot s && Arrays.equals(s.trustRoot, trustRoot) && Arrays.equals(s.signatures, signatures);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(trustRoot) * 31 + Arrays.hashCode(signatures);
    }

    @Override
    public String toString() {
        return "SignedTrustRoot[" + trustRoot.length + " bytes]";
    }
}
