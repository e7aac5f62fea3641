package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.api.verify.BadSignatureException;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every Wycheproof vector for the schemes a trust root can assign (ECDSA P-256 DER and P1363,
 * RSA PKCS#1 v1.5 and PSS, 2048 bits, SHA-256) goes through the project's own signature-counting
 * entry point, {@link ThresholdCheck#verifiedSigners}: valid vectors must count as a signer,
 * invalid ones must refuse the document. Vectors marked "acceptable" may go either way.
 * (Vectors: google/wycheproof, Apache-2.0, copied from shared/testvectors.)
 */
class WycheproofTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "ecdsa_secp256r1_sha256_test.json, ecdsa-p256-sha256, EC",
        "ecdsa_secp256r1_sha256_p1363_test.json, ecdsa-p256-sha256-p1363, EC",
        "rsa_signature_2048_sha256_test.json, rsa-pkcs1v15-sha256, RSA",
        "rsa_pss_2048_sha256_mgf1_32_test.json, rsa-pss-sha256, RSA"})
    void everyVectorGetsTheExpectedVerdict(String file, String scheme, String keyAlgorithm) throws Exception {
        JsonNode doc;
        try (InputStream in = WycheproofTest.class.getResourceAsStream("/wycheproof/" + file)) {
            doc = JSON.readTree(in);
        }
        List<String> wrong = new ArrayList<>();
        int run = 0;
        for (JsonNode group : doc.get("testGroups")) {
            PublicKey key = KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new X509EncodedKeySpec(HEX.parseHex(group.get("publicKeyDer").asText())));
            TrustedKey trusted = new TrustedKey(KeyIds.of(key), "vector-key", SignatureScheme.fromId(scheme), key);
            Role role = Role.of("releases/1", 1, List.of(trusted.keyId()));
            TrustRoot root = new TrustRoot(1, Instant.MAX, Map.of(trusted.keyId(), trusted), role, Map.of(1, role),
                    List.of(), Set.of());
            for (JsonNode t : group.get("tests")) {
                run++;
                String result = t.get("result").asText();
                boolean accepted = accepted(root, role, trusted.keyId(), HEX.parseHex(t.get("msg").asText()),
                        HEX.parseHex(t.get("sig").asText()));
                if (result.equals("valid") && !accepted || result.equals("invalid") && accepted) {
                    wrong.add("tcId " + t.get("tcId") + " (" + t.get("comment").asText() + "): expected " + result);
                }
            }
        }
        assertEquals(doc.get("numberOfTests").asInt(), run, "every vector was run");
        assertTrue(wrong.isEmpty(), file + ": " + wrong);
    }

    private static boolean accepted(TrustRoot root, Role role, String keyId, byte[] msg, byte[] sig) {
        if (sig.length == 0 || sig.length > 1024) {
            // ReleaseSignature refuses empty and oversized blobs before any verification: rejected.
            return false;
        }
        try {
            return ThresholdCheck.verifiedSigners(msg, List.of(new ReleaseSignature(keyId, sig)), role, root).size() == 1;
        } catch (BadSignatureException e) {
            return false;
        }
    }
}
