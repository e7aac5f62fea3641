package io.gantry.release;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSAEncoding;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA P-256 / SHA-256 verification with BouncyCastle's lightweight API instead of the JDK's
 * SunEC. Wycheproof showed SunEC on Java 17 accepting a non-canonical DER signature (a negative
 * {@code s}) and wrong-sized P1363 signatures, and rejecting valid signatures whose nonce point has
 * an x-coordinate above the group order (WycheproofTest). BouncyCastle decodes strictly
 * (StandardDSAEncoding re-encodes and compares; PlainDSAEncoding demands exactly 64 bytes), checks
 * 0 &lt; r, s &lt; n, reduces x mod n correctly, and verifies several times faster.
 */
final class EcdsaP256 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private EcdsaP256() {
    }

    /** @return whether {@code signature} (DER, or P1363 when {@code plain}) verifies over {@code data} */
    static boolean verifies(ECPublicKey key, byte[] data, byte[] signature, boolean plain) {
        DSAEncoding encoding = plain ? PlainDSAEncoding.INSTANCE : StandardDSAEncoding.INSTANCE;
        BigInteger[] rs;
        try {
            rs = encoding.decode(DOMAIN.getN(), signature);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        ECPoint q;
        try {
            // createPoint + validate refuses points that are not on P-256 (invalid-curve attacks).
            q = DOMAIN.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()).normalize();
            if (!q.isValid()) {
                return false;
            }
        } catch (RuntimeException e) {
            return false;
        }
        SHA256Digest sha = new SHA256Digest();
        sha.update(data, 0, data.length);
        byte[] digest = new byte[sha.getDigestSize()];
        sha.doFinal(digest, 0);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
        return verifier.verifySignature(digest, rs[0], rs[1]);
    }
}
