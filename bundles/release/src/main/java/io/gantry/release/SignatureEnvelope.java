package io.gantry.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The detached signatures of a release, stored beside the metadata as
 * {@code {"signatures":[{"keyId":"<hex>","sig":"<base64 DER>"}]}}. The envelope itself is not
 * signed: it only carries signatures, each checked against a key the verifier already trusts.
 */
public final class SignatureEnvelope {
    /** Most signatures an envelope may carry. */
    public static final int MAX_SIGNATURES = 32;
    private static final int MAX_BYTES = 64 * 1024;

    private SignatureEnvelope() {
    }

    /** @return the envelope bytes for {@code signatures} */
    public static byte[] write(List<ReleaseSignature> signatures) {
        ObjectNode root = MetadataJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("signatures");
        for (ReleaseSignature s : signatures) {
            list.addObject().put("keyId", s.keyId()).put("sig", Base64.getEncoder().encodeToString(s.value()));
        }
        try {
            return MetadataJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws MalformedReleaseException if the envelope is not exactly the documented shape */
    public static List<ReleaseSignature> parse(byte[] bytes) throws MalformedReleaseException {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedReleaseException("signature envelope exceeds " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = MetadataJson.MAPPER.readTree(bytes);
            if (root == null || !root.isObject() || root.size() != 1 || !root.path("signatures").isArray()) {
                throw new MalformedReleaseException("signature envelope must be {\"signatures\":[...]}");
            }
            JsonNode list = root.get("signatures");
            if (list.size() > MAX_SIGNATURES) {
                throw new MalformedReleaseException("more than " + MAX_SIGNATURES + " signatures");
            }
            List<ReleaseSignature> out = new ArrayList<>();
            for (JsonNode s : list) {
                if (!s.isObject() || s.size() != 2 || !s.path("keyId").isTextual() || !s.path("sig").isTextual()) {
                    throw new MalformedReleaseException("a signature entry must be {\"keyId\":..,\"sig\":..}");
                }
                out.add(new ReleaseSignature(s.get("keyId").textValue(),
                        Base64.getDecoder().decode(s.get("sig").textValue())));
            }
            return out;
        } catch (IOException e) {
            throw new MalformedReleaseException("signature envelope is not strict JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new MalformedReleaseException("signature entry invalid: " + e.getMessage());
        }
    }
}
