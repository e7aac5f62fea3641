package io.gantry.backend.ddi;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * hawkBit's configData body: {@code {"mode":"merge|replace|remove","data":{"name":"value"}}}
 * ({@code mode} optional, default merge). Bounded: at most 64 attributes, names of at most 128
 * characters from {@code [A-Za-z0-9._-]}, string values of at most 1024 characters.
 */
record ConfigDataMessage(String mode, Map<String, String> data) {
    static final int MAX_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    static ConfigDataMessage parse(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw bad("configData body exceeds " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject() || !root.path("data").isObject()) {
                throw bad("configData must be {\"mode\":..., \"data\":{...}}");
            }
            String mode = root.path("mode").asText("merge");
            if (!mode.equals("merge") && !mode.equals("replace") && !mode.equals("remove")) {
                throw bad("mode must be merge, replace or remove");
            }
            JsonNode data = root.get("data");
            if (data.size() > 64) {
                throw bad("at most 64 attributes");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().matches("[A-Za-z0-9._-]{1,128}") || !e.getValue().isTextual()
                        || e.getValue().textValue().length() > 1024) {
                    throw bad("attribute " + e.getKey() + " must be a short name with a string value of at most 1024 characters");
                }
                values.put(e.getKey(), e.getValue().textValue());
            }
            return new ConfigDataMessage(mode, values);
        } catch (IOException e) {
            throw bad("configData is not strict JSON: " + e.getMessage());
        }
    }

    private static ApiException bad(String message) {
        return new ApiException(RequestError.MALFORMED_CONFIG_DATA, message);
    }
}
