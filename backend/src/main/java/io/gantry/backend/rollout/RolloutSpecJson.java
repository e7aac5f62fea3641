package io.gantry.backend.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.db.ActionTerms;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of a {@link RolloutSpec} (docs/rollouts.md): the create and dry-run request body,
 * and what is stored. Unknown fields are refused, so a misspelt threshold is never ignored.
 */
public final class RolloutSpecJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WINDOW = Pattern.compile("(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");
    private static final List<String> FIELDS = List.of("name", "releaseId", "filter", "canary", "percentages",
            "successThreshold", "errorThreshold", "maxStartsPerMinute", "maintenanceWindow", "timeZoneAttribute",
            "certificateHoldDays", "type");

    private RolloutSpecJson() {
    }

    /**
     * @param n the request body
     * @return the validated spec
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static RolloutSpec parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field " + f + " (fields: " + FIELDS + ")");
            }
        }
        JsonNode f = n.path("filter");
        if (!f.isMissingNode() && !f.isObject()) {
            throw new IllegalArgumentException("filter must be an object");
        }
        Map<String, String> attributes = new TreeMap<>();
        f.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), text(e.getValue(), "filter.attributes")));
        TreeSet<String> tags = new TreeSet<>();
        f.path("tags").forEach(t -> tags.add(text(t, "filter.tags")));
        Optional<String> type = f.has("deviceType") ? Optional.of(text(f.get("deviceType"), "filter.deviceType")) : Optional.empty();
        List<Integer> percentages = new ArrayList<>();
        n.path("percentages").forEach(p -> percentages.add(integer(p, "percentages")));
        JsonNode e = n.path("errorThreshold");
        ErrorThreshold errors = e.isMissingNode() ? new ErrorThreshold(0, 50, 1)
                : new ErrorThreshold(intOr(e, "count", 0), intOr(e, "percent", 0), intOr(e, "minSample", 1));
        return new RolloutSpec(n.path("name").asText(""), integer(n.path("releaseId"), "releaseId"),
                new TargetFilter(type, attributes, tags), intOr(n, "canary", 0), percentages,
                intOr(n, "successThreshold", 100), errors, intOr(n, "maxStartsPerMinute", 60), window(n.path("maintenanceWindow")),
                n.has("timeZoneAttribute") ? text(n.get("timeZoneAttribute"), "timeZoneAttribute") : RolloutSpec.DEFAULT_ZONE_ATTRIBUTE,
                intOr(n, "certificateHoldDays", 7),
                n.has("type") ? ActionTerms.Type.ofStored(text(n.get("type"), "type")) : ActionTerms.Type.FORCED);
    }

    /** @return the stored (and shown) JSON form of {@code s} */
    public static ObjectNode toJson(RolloutSpec s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("releaseId", s.releaseId());
        ObjectNode f = n.putObject("filter");
        s.filter().deviceType().ifPresent(t -> f.put("deviceType", t));
        ObjectNode a = f.putObject("attributes");
        s.filter().attributes().forEach(a::put);
        ArrayNode tags = f.putArray("tags");
        new TreeSet<>(s.filter().tags()).forEach(tags::add);
        n.put("canary", s.canary());
        ArrayNode p = n.putArray("percentages");
        s.percentages().forEach(p::add);
        n.put("successThreshold", s.successThreshold());
        ObjectNode e = n.putObject("errorThreshold");
        e.put("count", s.errorThreshold().count());
        e.put("percent", s.errorThreshold().percent());
        e.put("minSample", s.errorThreshold().minSample());
        n.put("maxStartsPerMinute", s.maxStartsPerMinute());
        s.window().ifPresent(w -> n.put("maintenanceWindow", w.format()));
        n.put("timeZoneAttribute", s.timeZoneAttribute());
        n.put("certificateHoldDays", s.certificateHoldDays());
        n.put("type", s.type().stored());
        return n;
    }

    /** @return the spec stored as {@code text} */
    static RolloutSpec read(String text) {
        try {
            return parse(JSON.readTree(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored rollout spec is not JSON", e);
        }
    }

    private static Optional<RolloutSpec.Window> window(JsonNode w) {
        if (w.isMissingNode() || w.isNull()) {
            return Optional.empty();
        }
        Matcher m = WINDOW.matcher(w.asText());
        if (!w.isTextual() || !m.matches()) {
            throw new IllegalArgumentException("maintenanceWindow must be HH:MM-HH:MM (device-local time), not " + w);
        }
        try {
            return Optional.of(new RolloutSpec.Window(LocalTime.parse(m.group(1)), LocalTime.parse(m.group(2))));
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("maintenanceWindow " + w.asText() + ": " + ex.getMessage(), ex);
        }
    }

    private static int intOr(JsonNode n, String field, int fallback) {
        return n.has(field) ? integer(n.get(field), field) : fallback;
    }

    private static int integer(JsonNode v, String field) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.intValue();
    }

    private static String text(JsonNode v, String field) {
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 1024) {
            throw new IllegalArgumentException(field + " must be non-empty strings of at most 1024 characters");
        }
        return v.asText();
    }
}
