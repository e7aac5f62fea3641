package io.gantry.testing.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Gantry source checkout a test runs in: its root and its bundle modules. Found from the system
 * property {@value #ROOT_PROPERTY} (the integration-tests and test-fleet poms set it to the checkout)
 * or else by walking up from the current directory to the folder holding {@code pom.xml} and
 * {@code bnd/common.bnd}.
 */
public final class SourceTree {
    /** The system property naming the checkout's root folder. */
    public static final String ROOT_PROPERTY = "gantry.source.root";
    private final Path root;

    private SourceTree(Path root) {
        this.root = root;
    }

    /** @return the checkout this JVM runs in; fails with a message saying how to name it otherwise */
    public static SourceTree find() {
        String named = System.getProperty(ROOT_PROPERTY);
        if (named != null) {
            Path root = Path.of(named).toAbsolutePath().normalize();
            if (!isRoot(root)) {
                throw new IllegalStateException(ROOT_PROPERTY + "=" + named + " is not a Gantry checkout (no pom.xml and bnd/common.bnd)");
            }
            return new SourceTree(root);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (isRoot(p)) {
                return new SourceTree(p);
            }
        }
        throw new IllegalStateException("no Gantry checkout (pom.xml and bnd/common.bnd) at or above " + start
                + ": run from inside the checkout or set -D" + ROOT_PROPERTY + "=<checkout>");
    }

    private static boolean isRoot(Path p) {
        return Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("bnd/common.bnd"));
    }

    /** @return the checkout's root folder */
    public Path root() {
        return root;
    }

    /**
     * @return the module folder under {@code bundles/} whose {@code bnd.bnd} names {@code bsn} as its
     *     Bundle-SymbolicName
     */
    public Path bundleModule(String bsn) {
        List<String> known = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root.resolve("bundles"))) {
            for (Path module : (Iterable<Path>) modules.sorted()::iterator) {
                Path bnd = module.resolve("bnd.bnd");
                if (!Files.isRegularFile(bnd)) {
                    continue;
                }
                String name = symbolicName(bnd);
                if (bsn.equals(name)) {
                    return module;
                }
                known.add(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no bundle module with Bundle-SymbolicName " + bsn + " under "
                + root.resolve("bundles") + "; there are " + known);
    }

    private static String symbolicName(Path bnd) throws IOException {
        for (String line : Files.readAllLines(bnd)) {
            if (line.startsWith("Bundle-SymbolicName:")) {
                return line.substring("Bundle-SymbolicName:".length()).split(";")[0].trim();
            }
        }
        return null;
    }
}
