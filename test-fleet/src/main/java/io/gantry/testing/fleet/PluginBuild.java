package io.gantry.testing.fleet;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A vendor plugin bundle the gateway never had: a new Bundle-SymbolicName whose sources are given
 * here, compiled with {@code javac} against what the example plugin module ({@code bundles/device-acme})
 * compiles against (the Gantry API and the OSGi annotations, from its
 * {@code target/compile-classpath.txt}, so build that module first) and packaged by bnd under the
 * shared {@code bnd/common.bnd} instructions: DS components become {@code OSGI-INF/*.xml} and
 * Import-Package is computed from the code, as for a plugin a vendor builds against the API alone.
 *
 * <pre>{@code
 * Path jar = PluginBuild.named("com.example.gantry.valve").version("1.0.0")
 *         .source("com.example.gantry.valve.internal.ValveUpdater", ExamplePlugins.valve()).build(dir);
 * }</pre>
 */
public final class PluginBuild {
    /** The module whose compile classpath a plugin is built against. */
    static final String TEMPLATE_PLUGIN = "com.acme.gantry.sensor";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+");
    private final String bsn;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private String version;

    private PluginBuild(String bsn) {
        this.bsn = bsn;
    }

    /** @return a build of a plugin bundle with Bundle-SymbolicName {@code bsn} (a dotted Java-like name) */
    public static PluginBuild named(String bsn) {
        if (!NAME.matcher(bsn).matches()) {
            throw new IllegalArgumentException("not a bundle symbolic name: " + bsn);
        }
        if (bsn.startsWith("io.gantry.")) {
            throw new IllegalArgumentException(bsn + " is a Gantry bundle name; a vendor plugin has its own");
        }
        return new PluginBuild(bsn);
    }

    /** Sets the Bundle-Version (required), e.g. {@code 1.0.0}. */
    public PluginBuild version(String bundleVersion) {
        this.version = bundleVersion;
        return this;
    }

    /** Adds the class {@code className} (fully qualified) with {@code text} as its source. */
    public PluginBuild source(String className, String text) {
        if (sources.putIfAbsent(className, text) != null) {
            throw new IllegalArgumentException(className + " is added twice");
        }
        return this;
    }

    /**
     * Compiles and packages the plugin.
     *
     * @return {@code <outDir>/<bsn>-<version>.jar}
     * @throws IllegalStateException if a version or sources are missing, or javac or bnd report an error
     */
    public Path build(Path outDir) throws IOException {
        if (version == null || sources.isEmpty()) {
            throw new IllegalStateException("a plugin needs version(...) and at least one source(...)");
        }
        SourceTree tree = SourceTree.find();
        List<Path> cp = templateClasspath(tree.bundleModule(TEMPLATE_PLUGIN));
        Path work = Files.createTempDirectory("plugin-" + bsn + "-");
        try {
            Path classes = Files.createDirectories(work.resolve("classes"));
            Javac.compile(bsn, cp, List.of(), sources, classes);
            Path out = Files.createDirectories(outDir).resolve(bsn + "-" + version + ".jar");
            try (Builder builder = new Builder()) {
                builder.setProperty(Constants.INCLUDE, tree.root().resolve("bnd/common.bnd").toString());
                builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, bsn);
                builder.setProperty(Constants.BUNDLE_VERSION, version);
                builder.setBase(work.toFile());
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
            return out;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
    }

    /** The template module's compile classpath without its own build (its classes are not the plugin's). */
    private static List<Path> templateClasspath(Path module) throws IOException {
        Path file = module.resolve("target/compile-classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": build " + module.getFileName() + " first (mvn -pl "
                    + SourceTree.find().root().relativize(module) + " -am package)");
        }
        return Stream.of(Files.readString(file).trim().split(Pattern.quote(File.pathSeparator)))
                .filter(s -> !s.isEmpty()).map(Path::of).filter(p -> !BundleRebuild.isBuildOf(p, module, TEMPLATE_PLUGIN))
                .collect(Collectors.toList());
    }
}
