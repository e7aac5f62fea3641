package io.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.verify.MalformedReleaseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Strict field access for the signed JSON documents of this package. */
final class Json {
    private Json() {
    }

    static void exactFields(JsonNode node, String what, String... fields) throws MalformedReleaseException {
        if (node == null || !node.isObject()) {
            throw new MalformedReleaseException(what + " must be a JSON object");
        }
        List<String> expected = List.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!expected.contains(f)) {
                throw new MalformedReleaseException(what + " has unknown field " + f);
            }
        }
        for (String f : fields) {
            if (!node.has(f)) {
                throw new MalformedReleaseException(what + " lacks field " + f);
            }
        }
    }

    static String text(JsonNode node, String field) throws MalformedReleaseException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new MalformedReleaseException("field " + field + " must be a non-empty string");
        }
        return v.textValue();
    }

    /**
     * An integer within {@code [min, max]}. The range is checked on the JSON number itself, never
     * after a narrowing cast: a threshold of 4294967298 must not read as 2.
     */
    static long integer(JsonNode node, String field, long min, long max) throws MalformedReleaseException {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new MalformedReleaseException("field " + field + " must be an integer from " + min + " to " + max
                    + ", not " + v);
        }
        return v.longValue();
    }

    /** An {@code int} within {@code [min, max]}, checked before any narrowing. */
    static int int32(JsonNode node, String field, int min, int max) throws MalformedReleaseException {
        return Math.toIntExact(integer(node, field, min, max));
    }

    static JsonNode array(JsonNode node, String field) throws MalformedReleaseException {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new MalformedReleaseException("field " + field + " must be an array");
        }
        return v;
    }

    static Set<String> strings(JsonNode node, String field) throws MalformedReleaseException {
        Set<String> out = new HashSet<>();
        for (JsonNode v : array(node, field)) {
            if (!v.isTextual() || !out.add(v.textValue())) {
                throw new MalformedReleaseException("field " + field + " must list distinct strings");
            }
        }
        return out;
    }
}
