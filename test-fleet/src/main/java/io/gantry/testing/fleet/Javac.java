package io.gantry.testing.fleet;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** The JDK's compiler, as the build runs it for a gateway bundle (release 17, -parameters, -g). */
final class Javac {
    private Javac() {
    }

    /**
     * Compiles {@code files} and the in-memory sources {@code texts} (class name to source) against
     * {@code classpath} only (no source path) into {@code classes}.
     *
     * @throws IllegalStateException with javac's errors if it refuses
     */
    static void compile(String what, List<Path> classpath, List<Path> files, Map<String, String> texts, Path classes)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home") + ": run on a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            fm.setLocationFromPaths(StandardLocation.CLASS_PATH, classpath);
            fm.setLocationFromPaths(StandardLocation.SOURCE_PATH, List.of());
            fm.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(classes));
            List<JavaFileObject> units = new ArrayList<>();
            fm.getJavaFileObjectsFromPaths(files).forEach(units::add);
            texts.forEach((name, text) -> units.add(inMemory(name, text)));
            // -proc:none: annotation processors on a test classpath must not run on gateway code.
            List<String> options = List.of("--release", "17", "-parameters", "-g", "-proc:none", "-encoding", "UTF-8");
            if (!javac.getTask(null, fm, diagnostics, options, null, units).call()) {
                throw new IllegalStateException("javac failed for " + what + ":\n" + diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(Object::toString).collect(Collectors.joining("\n")));
            }
        }
    }

    private static JavaFileObject inMemory(String className, String text) {
        URI uri = URI.create("string:///" + className.replace('.', '/') + ".java");
        return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }
}
