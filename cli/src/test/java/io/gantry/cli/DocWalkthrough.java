package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.gantry.cli.DocCommands.Command;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one page's {@code bash} blocks as one script in a new empty folder (also its
 * {@code $HOME}), each command followed by a check of its exit status: 0, or the N of an
 * {@code # exit N} comment on the line. {@code ./gantry} and {@code gantry} start the real CLI;
 * {@code GANTRY_PORT}, {@code GANTRY_CRL_PORT}, {@code GANTRY_HEALTH_PORT} and {@code GANTRY_MQTT_PORT} name free loopback
 * ports for a page that starts a backend.
 */
final class DocWalkthrough {
    private static final long TIMEOUT_MINUTES = 5;

    private DocWalkthrough() {
    }

    static void run(Path doc, List<Command> commands) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("gantry-doc-" + doc.getFileName().toString().replace(".md", "") + "-");
        Path bin = Files.createDirectories(work.resolve(".doc-test/bin"));
        String wrapper = "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + classPath() + "' io.gantry.cli.GantryCli \"$@\"\n";
        for (Path launcher : List.of(bin.resolve("gantry"), work.resolve("gantry"))) {
            Files.writeString(launcher, wrapper, StandardCharsets.UTF_8);
            DocCommandsTest.makeExecutable(launcher);
        }
        StringBuilder script = new StringBuilder("set -o pipefail\n");
        for (Command c : commands) {
            script.append(c.text()).append('\n')
                    .append("__rc=$?; if [ $__rc -ne ").append(c.expectedExit()).append(" ]; then echo \"doc-test: ")
                    .append(escape(c.toString())).append(": exit $__rc, expected ").append(c.expectedExit())
                    .append("\" >&2; exit 97; fi\n");
        }
        Path file = work.resolve(".doc-test/walkthrough.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path log = work.resolve(".doc-test/output.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", work.toString());
        env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.remove("SOFTHSM2_CONF");
        // Pages that start a backend take their ports from these (the machine is shared: no fixed ports).
        env.put("GANTRY_PORT", Integer.toString(freePort()));
        env.put("GANTRY_CRL_PORT", Integer.toString(freePort()));
        env.put("GANTRY_HEALTH_PORT", Integer.toString(freePort()));
        env.put("GANTRY_MQTT_PORT", Integer.toString(freePort()));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(doc.getFileName() + ": walkthrough still running after " + TIMEOUT_MINUTES + " minutes; output:\n" + tail(log));
        }
        System.out.printf("%s: walkthrough of %d command lines ran in %s; output:%n%s%n", doc.getFileName(), commands.size(),
                work, tail(log));
        if (p.exitValue() != 0) {
            fail(doc.getFileName() + ": walkthrough failed (exit " + p.exitValue() + "), script " + file + "; output:\n"
                    + tail(log));
        }
        deleteTree(work);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String classPath() {
        // Surefire may start the test JVM from a manifest-only jar; it names the real class path here.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`");
    }

    private static String tail(Path log) throws IOException {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return out.length() <= 6000 ? out : "...\n" + out.substring(out.length() - 6000);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
