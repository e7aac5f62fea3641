package io.gantry.backend.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, read once from the class path ({@code io/gantry/backend/console/}).
 * Only the names listed here are served: no path from the request reaches the class loader.
 */
final class ConsoleFiles {
    /** A file's bytes and its media type. */
    record File(byte[] bytes, String mediaType) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "charts.js", "text/javascript; charset=utf-8",
            "pages.js", "text/javascript; charset=utf-8");
    private final Map<String, File> files;

    ConsoleFiles() {
        java.util.HashMap<String, File> loaded = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> loaded.put(name, new File(read(name), type)));
        this.files = Map.copyOf(loaded);
    }

    /** @return the file called {@code name}, if it is one of the console's */
    Optional<File> find(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the build: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
