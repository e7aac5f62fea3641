package io.gantry.release;

import io.gantry.api.verify.BadSignatureException;
import io.gantry.api.verify.MissingSignatureException;
import io.gantry.api.verify.NoTrustAnchorException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.UnknownSignerException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signature rule shared by the CLI, the backend (on upload) and the gateway: at least one
 * signature by a trusted key verifies over the exact metadata bytes, and no signature claiming a
 * trusted key fails. Signatures by keys outside the trust set are ignored, never counted.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    /**
     * @param metadata the exact metadata bytes
     * @param envelope the signature envelope bytes
     * @param trusted trusted public keys by key id ({@link KeyIds#of})
     * @return ids of the distinct trusted keys whose signatures verified, in envelope order
     * @throws ReleaseRejectedException MALFORMED, MISSING_SIGNATURE, BAD_SIGNATURE, UNKNOWN_SIGNER
     *     or NO_TRUST_ANCHOR
     */
    public static List<String> verify(byte[] metadata, byte[] envelope, Map<String, PublicKey> trusted)
            throws ReleaseRejectedException {
        if (trusted.isEmpty()) {
            throw new NoTrustAnchorException("empty trust set");
        }
        List<ReleaseSignature> signatures = SignatureEnvelope.parse(envelope);
        if (signatures.isEmpty()) {
            throw new MissingSignatureException();
        }
        Set<String> verified = new LinkedHashSet<>();
        List<String> untrusted = new ArrayList<>();
        for (ReleaseSignature sig : signatures) {
            PublicKey key = trusted.get(sig.keyId());
            if (key == null) {
                untrusted.add(sig.keyId());
                continue;
            }
            // Look-up by id only selects the key; the signature must still verify with that key.
            if (!KeyIds.of(key).equals(sig.keyId()) || !verifies(metadata, sig.value(), key)) {
                throw new BadSignatureException(sig.keyId());
            }
            verified.add(sig.keyId());
        }
        if (verified.isEmpty()) {
            throw new UnknownSignerException(untrusted);
        }
        return List.copyOf(verified);
    }

    private static boolean verifies(byte[] data, byte[] sig, PublicKey key) {
        return SignatureScheme.defaultFor(key).verifies(key, data, sig);
    }
}
