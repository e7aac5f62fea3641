package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JSON result of a {@code PayloadVerifyBenchmark} run ({@code -rf json}) into the Markdown
 * tables of docs/benchmarks.md: the median MB/s (10^6 bytes per second) over all measurement
 * iterations of all forks, the spread, each path's ratio to raw SHA-256 of the same size, and the
 * heap figures of {@code -prof gc} and {@link HeapGrowthProfiler}.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.gantry.bench.BenchReport jmh-result.json</pre>
 */
public final class BenchReport {
    private static final String RAW = "rawSha256";
    private static final String GATEWAY = "gatewayVerify";
    private static final String RAW_STAGING = "rawSha256Staging";
    private static final List<String> PATHS = List.of("payloadCheck", GATEWAY, RAW_STAGING);

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchReport <jmh-result.json>");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        // size -> benchmark method -> result
        Map<Long, Map<String, JsonNode>> bySize = new TreeMap<>();
        for (JsonNode r : results) {
            String bench = r.get("benchmark").asText();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            long size = Long.parseLong(r.get("params").get("size").asText());
            bySize.computeIfAbsent(size, s -> new TreeMap<>()).put(method, r);
        }

        System.out.println("| payload | rawSha256 MB/s | payloadCheck MB/s | / raw | gatewayVerify MB/s | / raw "
                + "| rawSha256Staging MB/s | / raw | gatewayVerify / rawSha256Staging |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Long, Map<String, JsonNode>> e : bySize.entrySet()) {
            long size = e.getKey();
            JsonNode raw = e.getValue().get(RAW);
            double rawMedian = raw == null ? Double.NaN : median(mbPerSecond(raw, size));
            StringBuilder row = new StringBuilder("| " + sizeLabel(size) + " | " + cell(raw, size));
            for (String path : PATHS) {
                JsonNode r = e.getValue().get(path);
                double ratio = r == null ? Double.NaN : median(mbPerSecond(r, size)) / rawMedian;
                row.append(" | ").append(cell(r, size)).append(" | ")
                        .append(Double.isNaN(ratio) ? "n/a" : percent(ratio));
            }
            JsonNode gateway = e.getValue().get(GATEWAY);
            JsonNode rawStaging = e.getValue().get(RAW_STAGING);
            row.append(" | ").append(gateway == null || rawStaging == null ? "n/a"
                    : percent(median(mbPerSecond(gateway, size)) / median(mbPerSecond(rawStaging, size))));
            System.out.println(row.append(" |"));
        }

        System.out.println();
        System.out.println("| path | payload | peak heap growth (MiB) | retained after GC (MiB) | allocated per op |");
        System.out.println("|---|---|---:|---:|---:|");
        for (Map.Entry<Long, Map<String, JsonNode>> e : bySize.entrySet()) {
            for (Map.Entry<String, JsonNode> m : e.getValue().entrySet()) {
                JsonNode secondary = m.getValue().get("secondaryMetrics");
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", m.getKey(), sizeLabel(e.getKey()),
                        scalar(secondary, "heap.growth.peak", "%.1f"),
                        scalar(secondary, "heap.growth.retained", "%.1f"),
                        bytes(secondary, "gc.alloc.rate.norm"));
            }
        }
    }

    /** @return MB/s of every measurement iteration of every fork */
    static List<Double> mbPerSecond(JsonNode result, long size) {
        JsonNode primary = result.get("primaryMetric");
        if (!"ops/s".equals(primary.get("scoreUnit").asText())) {
            throw new IllegalArgumentException("expected throughput in ops/s, got " + primary.get("scoreUnit"));
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode fork : primary.get("rawData")) {
            for (JsonNode opsPerSecond : fork) {
                values.add(opsPerSecond.asDouble() * size / 1e6);
            }
        }
        return values;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String cell(JsonNode result, long size) {
        if (result == null) {
            return "n/a";
        }
        List<Double> v = mbPerSecond(result, size);
        return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", median(v), Collections.min(v), Collections.max(v));
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * ratio);
    }

    private static JsonNode metric(JsonNode secondary, String label) {
        if (secondary == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) secondary::fields) {
            if (e.getKey().replace("\u00b7", "").equals(label)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String scalar(JsonNode secondary, String label, String format) {
        JsonNode m = metric(secondary, label);
        return m == null ? "n/a" : String.format(Locale.ROOT, format, m.get("score").asDouble());
    }

    private static String bytes(JsonNode secondary, String label) {
        JsonNode m = metric(secondary, label);
        if (m == null) {
            return "n/a";
        }
        double b = m.get("score").asDouble();
        return b >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MiB", b / (1024 * 1024))
                : String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    }

    static String sizeLabel(long size) {
        if (size % (1L << 30) == 0) {
            return size / (1L << 30) + " GiB";
        }
        if (size % (1L << 20) == 0) {
            return size / (1L << 20) + " MiB";
        }
        return size + " B";
    }
}
