package io.gantry.metrics.internal;

import java.util.Map;

/**
 * Writes families in the Prometheus text format, version 0.0.4 (what node_exporter's textfile
 * collector reads): {@code # HELP}, {@code # TYPE}, then one sample per line. Label values are
 * escaped ({@code \\}, {@code \"}, newline); HELP text escapes backslash and newline.
 */
final class TextExposition {
    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family. */
    TextExposition family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample of the current family, labels in the map's order. */
    TextExposition sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n")).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
