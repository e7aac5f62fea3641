package io.gantry.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The backend as an operator runs it, {@code gantry backend} in its own JVM (so its CPU and memory
 * are its own), started with this JVM's class path. Start-to-ready is the time from just before the
 * process is created to its {@code backend listening on} line, which it prints once every listener
 * is bound and the database is migrated.
 */
final class BackendProcess implements AutoCloseable {
    private final Process process;
    private final long readyNanos;
    private final int port;

    private BackendProcess(Process process, long readyNanos, int port) {
        this.process = process;
        this.readyNanos = readyNanos;
        this.port = port;
    }

    /**
     * @param jvmOptions options of the backend JVM (heap, GC, ...)
     * @param settings {@code gantry backend} flags, without --port and --revocation-port (chosen free here)
     * @param classPath the backend's class path (this JVM's when empty: the build being measured)
     * @param log where the backend's standard error goes
     */
    static BackendProcess start(List<String> jvmOptions, List<String> settings, String classPath, Path log)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(classPath), "io.gantry.cli.GantryCli", "backend",
                "--port", Integer.toString(port), "--revocation-port", Integer.toString(freePort()), "--health-port", "-1"));
        cmd.addAll(settings);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("backend listening on")) {
                        ready.complete(System.nanoTime());
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("the backend exited before it was ready; see " + log));
        }, "backend-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            return new BackendProcess(p, ready.get(120, TimeUnit.SECONDS) - t0, port);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("backend did not become ready: " + e.getMessage() + " (log " + log + ")", e);
        }
    }

    /** @return {@code classPath}, or this JVM's class path when it is empty */
    static String classPath(String classPath) {
        return classPath.isEmpty() ? System.getProperty("java.class.path") : classPath;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** @return nanoseconds from process creation to ready */
    long readyNanos() {
        return readyNanos;
    }

    ProcessSample sample() throws IOException {
        return ProcessSample.of(process.pid());
    }

    /** Stops it as SIGTERM does (the backend's shutdown hook closes it). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
