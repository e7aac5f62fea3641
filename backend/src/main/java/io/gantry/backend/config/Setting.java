package io.gantry.backend.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One backend setting: its key (the configuration file's key and, with {@code --}, the flag of
 * {@code gantry backend}), the kind of value, its default, its bounds and what it sets. The
 * catalogue is {@link BackendSettings#ALL}; docs/backend-api.md's table is checked against it.
 *
 * @param key lower-case words joined by {@code -}
 * @param kind what a value looks like
 * @param defaultValue the value used when neither file nor flag gives one; {@code null} for none
 * @param shownDefault how the default reads in the docs and in {@code --help}
 * @param min smallest allowed number (numbers, ports, durations in seconds, bytes)
 * @param max largest allowed number
 * @param targets the record components it sets ({@code Record.component}), for the coverage check
 * @param description what it is, one sentence
 */
public record Setting(String key, Kind kind, String defaultValue, String shownDefault, long min, long max,
        List<String> targets, String description) {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,19})(|KiB|MiB|GiB)");

    /** What a value looks like. */
    public enum Kind {
        /** A file or folder path. */
        PATH("path"),
        /** Free text (an address, a name). */
        TEXT("text"),
        /** A whole number in [min, max]. */
        NUMBER("number"),
        /** A byte count, plain or with KiB, MiB or GiB: {@code 8192}, {@code 512MiB}. */
        BYTES("bytes"),
        /** A duration: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 24h}, {@code 7d}, or ISO-8601 {@code PT5S}. */
        DURATION("duration"),
        /** An absolute URL. */
        URL("URL"),
        /** A comma-separated list of names. */
        LIST("list"),
        /** One of the words in the description. */
        CHOICE("choice");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** @return how the kind reads in the docs */
        public String label() {
            return label;
        }
    }

    /** @throws IllegalArgumentException for a malformed key or empty description */
    public Setting {
        Objects.requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("setting key must be lower-case words joined by '-': " + key);
        }
        if (description == null || description.isBlank() || shownDefault == null) {
            throw new IllegalArgumentException("setting " + key + " needs a description and a shown default");
        }
    }

    /** @return the flag of {@code gantry backend}: {@code --<key>} */
    public String flag() {
        return "--" + key;
    }

    /**
     * Checks {@code value} against kind and bounds.
     *
     * @return the parsed value: Path, String, Long, Duration, URI or List of String
     * @throws IllegalArgumentException saying what is wrong with it, without naming the setting
     */
    public Object parse(String value) {
        String v = value.strip();
        return switch (kind) {
            case PATH -> path(v);
            case TEXT -> nonBlank(v);
            case NUMBER -> bounded(number(v), v);
            case BYTES -> bounded(bytes(v), v);
            case DURATION -> duration(v);
            case URL -> url(v);
            case LIST -> list(v);
            case CHOICE -> nonBlank(v);
        };
    }

    private static Path path(String v) {
        try {
            return Path.of(nonBlank(v));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + v + "' is not a path");
        }
    }

    private static String nonBlank(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        return v;
    }

    private static long number(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }

    private static long bytes(String v) {
        Matcher m = BYTES.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a byte count (e.g. 8192, 64KiB, 512MiB, 4GiB)");
        }
        int shift = switch (m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        long n = number(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + v + "' is too large");
        }
        return n << shift;
    }

    private Long bounded(long n, String v) {
        if (n < min || n > max) {
            throw new IllegalArgumentException("'" + v + "' is not in " + min + ".." + max);
        }
        return n;
    }

    private Duration duration(String v) {
        Duration d;
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + v + "' is not a duration (e.g. 500ms, 5s, 10m, 24h, 7d)");
            }
        }
        if (d.toMillis() < min * 1000 || d.toMillis() > max * 1000) {
            throw new IllegalArgumentException("'" + v + "' is not between " + Duration.ofSeconds(min) + " and " + Duration.ofSeconds(max));
        }
        return d;
    }

    private static URI url(String v) {
        try {
            URI u = new URI(nonBlank(v));
            if (!u.isAbsolute() || u.getHost() == null) {
                throw new IllegalArgumentException("'" + v + "' is not an absolute URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + v + "' is not a URL: " + e.getReason());
        }
    }

    private static List<String> list(String v) {
        List<String> items = java.util.Arrays.stream(nonBlank(v).split(",")).map(String::strip).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + v + "' has an empty item");
        }
        return items;
    }
}
