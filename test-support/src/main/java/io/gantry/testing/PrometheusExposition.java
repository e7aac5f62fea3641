package io.gantry.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests that scrape
 * a real endpoint or read a textfile-collector file: every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample of a family whose {@code TYPE} came first; names, label names, escaped
 * label values and numbers must be well formed; a series may appear once; the text must end with a
 * newline. Anything else throws {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusExposition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private final Map<String, String> types;
    private final Map<String, Double> samples;

    private PrometheusExposition(Map<String, String> types, Map<String, Double> samples) {
        this.types = types;
        this.samples = samples;
    }

    /**
     * @param text the exposition, as served
     * @return its families and samples
     * @throws IllegalArgumentException at the first line that breaks the format
     */
    public static PrometheusExposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Double> samples = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw bad(n, line, "a second TYPE for " + m.group(1));
                }
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if (line.startsWith("#")) {
                throw bad(n, line, "a comment that is neither HELP nor TYPE");
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (family(name, types) == null) {
                    throw bad(n, line, "a sample of a family without a TYPE before it");
                }
                String key = key(name, labels(m.group(3) == null ? "" : m.group(3), n, line));
                if (samples.put(key, number(m.group(4), n, line)) != null) {
                    throw bad(n, line, "the series appears twice");
                }
            } else {
                throw bad(n, line, "not a sample");
            }
        }
        return new PrometheusExposition(types, samples);
    }

    /** @return the family a sample name belongs to (itself, or without a counter's or histogram's suffix), or null */
    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_total", "_created", "_count", "_sum", "_bucket"}) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int n, String line) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw bad(n, line, "malformed labels");
            }
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (out.put(m.group(1), value) != null) {
                throw bad(n, line, "a label given twice");
            }
            at = m.end();
        }
        return out;
    }

    private static double number(String text, int n, String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw bad(n, line, "not a number: " + text);
                }
        }
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }

    private static IllegalArgumentException bad(int n, String line, String why) {
        return new IllegalArgumentException("line " + n + " (" + line + "): " + why);
    }

    /** @return the declared type of family {@code name} ("counter", "gauge", ...), or null */
    public String type(String name) {
        return types.get(name);
    }

    /**
     * @param name the sample name as exposed (a counter's ends in {@code _total})
     * @param labels label name and value pairs, in any order
     * @return the sample's value, empty if the series is not exposed
     */
    public OptionalDouble value(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        Double v = samples.get(key(name, l));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** @return the value of the series, 0 when it is not exposed (a counter not yet incremented) */
    public double valueOrZero(String name, String... labels) {
        return value(name, labels).orElse(0);
    }

    /** @return the series keys of sample {@code name} ({@code name{label=value, ...}}) */
    public List<String> series(String name) {
        List<String> out = new ArrayList<>();
        for (String k : samples.keySet()) {
            if (k.startsWith(name + "{")) {
                out.add(k);
            }
        }
        return out;
    }
}
