package io.gantry.release;

import io.gantry.api.verify.BadSignatureException;
import io.gantry.api.verify.ThresholdNotMetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts distinct signers of one role over exact bytes. Only keys of the role count, revoked keys
 * count zero, and each public key counts once however many signatures or key ids carry it (the
 * threshold-counting bugs of python-tuf, go-tuf and tough). A signature that claims a key of the
 * role but does not verify refuses the whole document.
 */
public final class ThresholdCheck {
    private ThresholdCheck() {
    }

    /**
     * @return the distinct keys of {@code role} whose signatures verified
     * @throws BadSignatureException if a signature by a key of the role does not verify
     */
    public static List<TrustedKey> verifiedSigners(byte[] data, List<ReleaseSignature> signatures, Role role,
            TrustRoot root) throws BadSignatureException {
        Map<String, TrustedKey> byCanonicalKey = new LinkedHashMap<>();
        for (ReleaseSignature sig : signatures) {
            if (!role.keyIds().contains(sig.keyId()) || root.revokedKeyIds().contains(sig.keyId())) {
                continue;
            }
            TrustedKey key = root.keys().get(sig.keyId());
            if (key == null || !key.scheme().verifies(key.publicKey(), data, sig.value())) {
                throw new BadSignatureException(sig.keyId());
            }
            byCanonicalKey.putIfAbsent(key.canonical(), key);
        }
        return List.copyOf(byCanonicalKey.values());
    }

    /**
     * @return the distinct verified signers, at least the role's threshold of them
     * @throws ThresholdNotMetException if fewer distinct keys signed
     */
    public static List<TrustedKey> require(byte[] data, List<ReleaseSignature> signatures, Role role, TrustRoot root)
            throws BadSignatureException, ThresholdNotMetException {
        List<TrustedKey> signers = verifiedSigners(data, signatures, role, root);
        if (signers.size() < role.threshold() || role.threshold() < 1) {
            throw new ThresholdNotMetException(role.name(), names(signers), role.threshold());
        }
        return signers;
    }

    static List<String> names(List<TrustedKey> keys) {
        List<String> names = new ArrayList<>();
        keys.forEach(k -> names.add(k.name()));
        return names;
    }
}
