package io.gantry.release;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes release metadata as canonical JSON and parses it strictly: duplicate keys, unknown or
 * missing fields, wrong types and trailing data are all rejected, so the parsed view is exactly
 * what the signers saw (THREATS.md, "signed vs parsed bytes").
 */
public final class MetadataJson {
    /** Upper bound on metadata size; anything larger is refused before parsing. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Set<String> TOP_FIELDS =
            Set.of("schema", "name", "version", "kind", "target", "buildTimestamp", "expires", "securityCounter",
                    "builtBy", "payloads");
    private static final Set<String> PAYLOAD_FIELDS = Set.of("name", "sha256", "size");

    /** Strict mapper shared by every parser of signed documents in this package. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private MetadataJson() {
    }

    /** @return compact UTF-8 JSON with fields in the documented order */
    public static byte[] write(ReleaseMetadata m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", m.schema());
        root.put("name", m.name());
        root.put("version", m.version());
        root.put("kind", m.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        root.put("target", m.target());
        root.put("buildTimestamp", m.buildTimestamp().toString());
        root.put("expires", m.expires().toString());
        root.put("securityCounter", m.securityCounter());
        root.put("builtBy", m.builtBy());
        ArrayNode payloads = root.putArray("payloads");
        for (PayloadInfo p : m.payloads()) {
            payloads.addObject().put("name", p.name()).put("sha256", p.sha256()).put("size", p.size());
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
        }
    }

    /**
     * @param bytes the exact signed bytes
     * @return the metadata they describe
     * @throws MalformedReleaseException if the bytes break any rule of the format
     */
    public static ReleaseMetadata parse(byte[] bytes) throws MalformedReleaseException {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedReleaseException("metadata exceeds " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = MAPPER.readTree(bytes);
            requireExactFields(root, TOP_FIELDS, "metadata");
            String schema = text(root, "schema");
            if (!ReleaseMetadata.SCHEMA.equals(schema)) {
                throw new MalformedReleaseException("unsupported schema " + schema);
            }
            List<PayloadInfo> payloads = new ArrayList<>();
            JsonNode list = root.get("payloads");
            if (!list.isArray()) {
                throw new MalformedReleaseException("payloads must be an array");
            }
            for (JsonNode p : list) {
                requireExactFields(p, PAYLOAD_FIELDS, "payload");
                JsonNode size = p.get("size");
                if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
                    throw new MalformedReleaseException("payload size must be an integer from 0 to " + Long.MAX_VALUE);
                }
                payloads.add(new PayloadInfo(text(p, "name"), text(p, "sha256"), size.longValue()));
            }
            JsonNode counter = root.get("securityCounter");
            if (!counter.isIntegralNumber() || !counter.canConvertToLong() || counter.longValue() < 0) {
                throw new MalformedReleaseException("securityCounter must be an integer from 0 to " + Long.MAX_VALUE);
            }
            return new ReleaseMetadata(schema, text(root, "name"), version(text(root, "version")),
                    kind(text(root, "kind")), text(root, "target"), Instant.parse(text(root, "buildTimestamp")),
                    Instant.parse(text(root, "expires")), counter.longValue(), text(root, "builtBy"), payloads);
        } catch (IOException e) {
            throw new MalformedReleaseException("metadata is not strict JSON: " + e.getMessage());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new MalformedReleaseException("metadata field invalid: " + e.getMessage());
        }
    }

    private static void requireExactFields(JsonNode node, Set<String> fields, String what)
            throws MalformedReleaseException {
        if (!node.isObject()) {
            throw new MalformedReleaseException(what + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new MalformedReleaseException(what + " has unknown field " + f);
            }
        }
        for (String f : fields) {
            if (!node.has(f)) {
                throw new MalformedReleaseException(what + " lacks field " + f);
            }
        }
    }

    private static String text(JsonNode node, String field) throws MalformedReleaseException {
        JsonNode v = node.get(field);
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new MalformedReleaseException("field " + field + " must be a non-empty string");
        }
        return v.textValue();
    }

    private static ReleaseKind kind(String s) throws MalformedReleaseException {
        return switch (s) {
            case "bundle" -> ReleaseKind.BUNDLE;
            case "firmware" -> ReleaseKind.FIRMWARE;
            case "trust-root" -> ReleaseKind.TRUST_ROOT;
            default -> throw new MalformedReleaseException("unknown kind " + s);
        };
    }

    private static String version(String s) throws MalformedReleaseException {
        if (!s.matches("\\d{1,6}\\.\\d{1,6}\\.\\d{1,6}(\\.[A-Za-z0-9_-]{1,64})?")) {
            throw new MalformedReleaseException("version is not major.minor.micro[.qualifier]: " + s);
        }
        return s;
    }
}
