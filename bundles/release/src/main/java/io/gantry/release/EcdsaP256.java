package io.gantry.release;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSAEncoding;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.util.encoders.Hex;

/**
 * ECDSA P-256 / SHA-256 verification with BouncyCastle's lightweight API instead of the JDK's
 * SunEC. Wycheproof showed SunEC on Java 17 accepting a non-canonical DER signature (a negative
 * {@code s}) and wrong-sized P1363 signatures, and rejecting valid signatures whose nonce point has
 * an x-coordinate above the group order (WycheproofTest). BouncyCastle decodes strictly
 * (StandardDSAEncoding re-encodes and compares; PlainDSAEncoding demands exactly 64 bytes), checks
 * 0 &lt; r, s &lt; n, reduces x mod n correctly, and verifies several times faster.
 */
final class EcdsaP256 {
    /**
     * The SEC 2 base point of P-256, uncompressed. Built here rather than taken from
     * {@code CustomNamedCurves.getByName("secp256r1")}, whose class initialisation loads every curve
     * BouncyCastle knows and their object identifiers (80 more classes at the gateway's start);
     * EcdsaP256Test checks that the two are the same domain.
     */
    static final String P256_G = "04"
            + "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
            + "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5";
    static final ECDomainParameters DOMAIN = p256();

    private static ECDomainParameters p256() {
        ECCurve curve = new SecP256R1Curve();
        ECPoint g = curve.decodePoint(Hex.decodeStrict(P256_G));
        WNafUtil.configureBasepoint(g); // the precomputation CustomNamedCurves does for its base points
        return new ECDomainParameters(curve, g, curve.getOrder(), curve.getCofactor());
    }

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
