package io.gantry.testing.fleet;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A genuinely new revision of a gateway bundle: its module's main sources, with classes added or
 * replaced, compiled again with {@code javac} and packaged again by bnd under the module's own
 * {@code bnd.bnd} (so DS components become {@code OSGI-INF/*.xml}, Import-Package is computed from
 * the code, the Bundle-SymbolicName is the module's), with a chosen Bundle-Version. Swap tests
 * install it through the update path and look for the changed code running.
 *
 * <pre>{@code
 * Path jar = BundleRebuild.of("io.gantry.verifier").version("0.2.0").revisionProbe("r2").build(dir);
 * // once installed, a service matching RevisionProbe.filter("io.gantry.verifier", "r2") is registered
 * }</pre>
 *
 * <p>The module is found in the checkout by its Bundle-SymbolicName ({@link SourceTree}). It is
 * compiled and analysed against its own compile classpath ({@code provided} included) as Maven
 * resolved it when the module was last built: the root pom has every module write it to
 * {@code target/compile-classpath.txt}. So the module must have been built, best in the same reactor
 * ({@code -am}) so that its sibling modules are their {@code target} jars rather than whatever
 * {@code ~/.m2} holds; a missing file fails with a message saying so. {@link #classpath(List)}
 * replaces it. Entries that are the module's own build (anything
 * under the module folder, any jar with the same Bundle-SymbolicName) are left out, so old classes
 * never stand in for the new ones.
 */
public final class BundleRebuild {
    private final String bsn;
    private final Path module;
    private final Map<String, String> added = new LinkedHashMap<>();
    private final Map<String, String> replaced = new LinkedHashMap<>();
    private final Map<String, Path> sources;
    private String version;
    private List<Path> classpath;

    private BundleRebuild(String bsn, Path module) {
        this.bsn = bsn;
        this.module = module;
        this.sources = mainSources(module.resolve("src/main/java"));
    }

    /** @return a rebuild of the bundle module of this checkout whose Bundle-SymbolicName is {@code bsn} */
    public static BundleRebuild of(String bsn) {
        return new BundleRebuild(bsn, SourceTree.find().bundleModule(bsn));
    }

    /** Sets the Bundle-Version of the new revision (required), e.g. {@code 0.2.0}. */
    public BundleRebuild version(String bundleVersion) {
        this.version = bundleVersion;
        return this;
    }

    /** Compiles and analyses against {@code entries} instead of the module's compile classpath. */
    public BundleRebuild classpath(List<Path> entries) {
        this.classpath = List.copyOf(entries);
        return this;
    }

    /** Adds a class the module does not have: {@code className} is its fully qualified name. */
    public BundleRebuild add(String className, String source) {
        if (sources.containsKey(className) || added.containsKey(className)) {
            throw new IllegalArgumentException(className + " exists already in " + module + ": replace it");
        }
        added.put(className, source);
        return this;
    }

    /** Ships {@code source} instead of the module's {@code className}. */
    public BundleRebuild replace(String className, String source) {
        if (!sources.containsKey(className)) {
            throw new IllegalArgumentException("no " + className + " in " + module.resolve("src/main/java"));
        }
        replaced.put(className, source);
        return this;
    }

    /** Ships the module's {@code className} as changed by {@code edit}, which must change it. */
    public BundleRebuild edit(String className, UnaryOperator<String> edit) {
        String original = source(className);
        String changed = edit.apply(original);
        if (changed.equals(original)) {
            throw new IllegalArgumentException("the edit left " + className + " unchanged");
        }
        return replace(className, changed);
    }

    /** @return the source of the module's {@code className} as it would be compiled now */
    public String source(String className) {
        if (replaced.containsKey(className)) {
            return replaced.get(className);
        }
        Path file = sources.get(className);
        if (file == null) {
            throw new IllegalArgumentException("no " + className + " in " + module.resolve("src/main/java"));
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds the {@link RevisionProbe} of this bundle with {@code label}. */
    public BundleRebuild revisionProbe(String label) {
        return add(RevisionProbe.className(bsn), RevisionProbe.source(bsn, label));
    }

    /**
     * Compiles and packages the revision.
     *
     * @return {@code <outDir>/<bsn>-<version>.jar}
     * @throws IllegalStateException if javac or bnd report an error (the message lists them)
     */
    public Path build(Path outDir) throws IOException {
        if (version == null) {
            throw new IllegalStateException("no Bundle-Version: call version(...) first");
        }
        List<Path> cp = (classpath == null ? moduleClasspath() : classpath).stream()
                .filter(p -> !isBuildOf(p, module, bsn)).collect(Collectors.toList());
        Path work = Files.createTempDirectory("rebuild-" + bsn + "-");
        try {
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<Path> files = sources.entrySet().stream().filter(e -> !replaced.containsKey(e.getKey()))
                    .map(Map.Entry::getValue).collect(Collectors.toList());
            Map<String, String> texts = new LinkedHashMap<>(replaced);
            texts.putAll(added);
            Javac.compile(bsn, cp, files, texts, classes);
            Path resources = module.resolve("src/main/resources");
            if (Files.isDirectory(resources)) {
                copyTree(resources, classes);
            }
            Path out = Files.createDirectories(outDir).resolve(bsn + "-" + version + ".jar");
            bnd(cp, classes, out);
            return out;
        } finally {
            deleteTree(work);
        }
    }

    private void bnd(List<Path> cp, Path classes, Path out) throws IOException {
        try (Builder builder = new Builder()) {
            // The module's bnd.bnd, its -include of ../../bnd/common.bnd resolved from the module folder.
            builder.setProperties(module.resolve("bnd.bnd").toFile());
            builder.setProperty(Constants.BUNDLE_VERSION, version);
            builder.setClasspath(cp.stream().map(Path::toFile).toArray(File[]::new));
            builder.setJar(new Jar(bsn, classes.toFile()));
            try (Jar jar = builder.build()) {
                if (!builder.isOk()) {
                    throw new IllegalStateException("bnd failed for " + bsn + ": " + builder.getErrors());
                }
                jar.write(out.toFile());
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("bnd failed for " + bsn, e);
        }
    }

    private List<Path> moduleClasspath() throws IOException {
        Path file = module.resolve("target/compile-classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": build the module first (mvn -pl "
                    + SourceTree.find().root().relativize(module) + " -am package), or pass classpath(...)");
        }
        return Stream.of(Files.readString(file).trim().split(Pattern.quote(File.pathSeparator)))
                .filter(s -> !s.isEmpty()).map(Path::of).collect(Collectors.toList());
    }

    /** @return whether a class path entry is the module's own build: its folder, or a jar of that symbolic name */
    static boolean isBuildOf(Path entry, Path module, String bsn) {
        Path p = entry.toAbsolutePath().normalize();
        if (p.startsWith(module.toAbsolutePath().normalize())) {
            return true;
        }
        if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            String name = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return name != null && bsn.equals(name.split(";")[0].trim());
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Path> mainSources(Path root) {
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> {
                String rel = root.relativize(f).toString().replace(File.separatorChar, '.');
                out.put(rel.substring(0, rel.length() - ".java".length()), f);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root, e);
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }
}
