package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text tables for the operator commands. Every cell passes through {@link #clean}: text a
 * device reported can hold terminal escape sequences, which must not reach the operator's terminal.
 */
final class OperatorTables {
    private OperatorTables() {
    }

    /** @return {@code text} with control characters (C0, DEL, C1) replaced by {@code ?}; {@code null} as empty */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || (c >= 0x7f && c < 0xa0) ? '?' : c));
        return b.toString();
    }

    /** @return the field as text ({@code ""} when missing or null; arrays and objects as JSON) */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** Prints {@code rows} under {@code headers}, columns padded to their widest cell. */
    static void print(PrintWriter out, List<String> headers, List<List<String>> rows) {
        int[] width = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        rows.forEach(r -> all.add(r.stream().map(OperatorTables::clean).toList()));
        for (List<String> r : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = i < r.size() ? r.get(i) : "";
                line.append(i == width.length - 1 ? cell : String.format("%-" + width[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** @return the list in a list answer: the array itself, or the array a page object holds */
    static List<JsonNode> items(JsonNode answer) {
        JsonNode list = answer;
        if (!answer.isArray()) {
            for (String k : List.of("items", "content", "targets", "devices", "alerts", "results")) {
                if (answer.path(k).isArray()) {
                    list = answer.path(k);
                    break;
                }
            }
        }
        List<JsonNode> out = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(out::add);
        }
        return out;
    }
}
