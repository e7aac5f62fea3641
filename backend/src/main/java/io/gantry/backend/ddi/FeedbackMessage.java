package io.gantry.backend.ddi;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A device's DDI feedback body, parsed strictly where it matters:
 * {@code {"timestamp"?, "status": {"execution", "result": {"finished", "progress"?}, "code"?, "details"?}}}.
 * Duplicate keys and wrong types are refused; fields the backend does not use (hawkBit clients
 * send e.g. {@code id} or {@code time}) are ignored and not stored.
 *
 * @param execution one of {@link #EXECUTIONS}
 * @param finished one of {@link #RESULTS}
 * @param code the device's numeric code, or {@code null}
 * @param details detail lines, at most {@link #MAX_DETAILS}, each cut to {@link #MAX_DETAIL_CHARS} characters
 */
public record FeedbackMessage(String execution, String finished, Integer code, List<String> details) {
    /** DDI execution states. */
    public static final Set<String> EXECUTIONS =
            Set.of("closed", "proceeding", "canceled", "scheduled", "rejected", "resumed", "downloaded", "download");
    /** DDI results. */
    public static final Set<String> RESULTS = Set.of("success", "failure", "none");
    /**
     * Most detail lines accepted per message: hawkBit's default ({@code maxMessagesPerActionStatus}
     * 50); SWUpdate's suricatta sends up to 48.
     */
    public static final int MAX_DETAILS = 50;
    /** Longest detail line kept; a longer one is cut to this length, ending in {@link #TRUNCATED}. */
    public static final int MAX_DETAIL_CHARS = 1024;
    /** The end of a detail line that was cut. */
    public static final String TRUNCATED = " [truncated]";
    /** Largest body read. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** @return whether this message closes the action */
    public boolean closes() {
        return execution.equals("closed");
    }

    /**
     * The release rejection a device reports: for {@code closed}/{@code failure} only, the
     * {@link RejectionCode} whose name starts the first detail line, followed by the end of the
     * line or a character that cannot continue a code (the agent sends {@code "CODE: message"}).
     *
     * @return the reported code, or empty for any other message
     */
    public Optional<RejectionCode> reportedRejection() {
        if (!closes() || !finished.equals("failure") || details.isEmpty()) {
            return Optional.empty();
        }
        String first = details.get(0);
        for (RejectionCode code : RejectionCode.values()) {
            String name = code.name();
            if (first.startsWith(name) && (first.length() == name.length() || !continuesCode(first.charAt(name.length())))) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    private static boolean continuesCode(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * @throws ApiException 400 MALFORMED_FEEDBACK naming the first problem
     */
    public static FeedbackMessage parse(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BYTES) {
            throw malformed("body must be a JSON object of at most " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (IOException e) {
            throw malformed("body is not strict JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("body must be a JSON object");
        }
        if (root.has("timestamp") && !root.get("timestamp").isIntegralNumber()) {
            throw malformed("timestamp must be an integer (milliseconds)");
        }
        JsonNode status = root.path("status");
        if (!status.isObject()) {
            throw malformed("status object missing");
        }
        String execution = oneOf(status.path("execution"), EXECUTIONS, "status.execution");
        String finished = oneOf(status.path("result").path("finished"), RESULTS, "status.result.finished");
        if (execution.equals("closed") && finished.equals("none")) {
            throw malformed("a closed action must finish with success or failure");
        }
        Integer code = null;
        if (status.has("code")) {
            if (!status.get("code").canConvertToInt() || !status.get("code").isIntegralNumber()) {
                throw malformed("status.code must be an integer");
            }
            code = status.get("code").intValue();
        }
        return new FeedbackMessage(execution, finished, code, details(status.path("details")));
    }

    private static List<String> details(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_DETAILS) {
            throw malformed("status.details must be an array of at most " + MAX_DETAILS + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : node) {
            if (!d.isTextual()) {
                throw malformed("each detail must be a string");
            }
            // Clients log freely (SWUpdate sends whole JSON documents as one line): keep the start.
            String line = d.textValue();
            out.add(line.length() <= MAX_DETAIL_CHARS ? line
                    : line.substring(0, MAX_DETAIL_CHARS - TRUNCATED.length()) + TRUNCATED);
        }
        return out;
    }

    private static String oneOf(JsonNode node, Set<String> allowed, String field) {
        if (!node.isTextual() || !allowed.contains(node.textValue())) {
            throw malformed(field + " must be one of " + allowed);
        }
        return node.textValue();
    }

    private static ApiException malformed(String message) {
        return new ApiException(RequestError.MALFORMED_FEEDBACK, message);
    }
}
