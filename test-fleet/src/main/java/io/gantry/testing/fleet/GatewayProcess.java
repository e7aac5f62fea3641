package io.gantry.testing.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A gateway running in its own JVM ({@code io.gantry.edge.GatewayLauncher}), with its output
 * echoed and kept so callers can wait for a line. Closing stops it the way an operator would
 * (SIGTERM, so Felix shuts down cleanly), then forcibly after a grace period.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private GatewayProcess(Process process, Consumer<String> echo) {
        this.process = process;
        this.pump = new Thread(() -> pump(echo), "gateway-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * @param distribution the gateway distribution (edge-runtime/target/gateway)
     * @param home the gateway's home: conf/ and state/
     * @param echo receives every output line
     * @param jvmOptions extra JVM options, e.g. {@code -Dgantry.gateway.listBundles=true}
     */
    public static GatewayProcess start(Path distribution, Path home, Consumer<String> echo, String... jvmOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", distribution.resolve("lib").toAbsolutePath() + "/*",
                "io.gantry.edge.GatewayLauncher", home.toAbsolutePath().toString(),
                distribution.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        return new GatewayProcess(pb.start(), echo);
    }

    /**
     * Starts a gateway through a command of its own, e.g. the distribution's {@code bin/gantry-gateway run}.
     *
     * @param command the command and its arguments
     * @param environment variables added to this process's environment
     * @param echo receives every output line
     */
    public static GatewayProcess startCommand(List<String> command, java.util.Map<String, String> environment,
            Consumer<String> echo) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        return new GatewayProcess(pb.start(), echo);
    }

    /** @return the gateway JVM's process id */
    public long pid() {
        return process.pid();
    }

    /** @return whether the gateway JVM is still running */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return a copy of every line printed so far */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until a printed line matches.
     *
     * @return the line
     * @throws IOException if the gateway exits or the deadline passes first
     */
    public synchronized String awaitLine(Predicate<String> match, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (!process.isAlive() && !pump.isAlive()) {
                throw new IOException("gateway exited with " + process.exitValue() + " before the expected output");
            }
            if (left <= 0) {
                throw new IOException("gateway did not print the expected line within " + timeout
                        + "; its threads at that moment:\n" + threadDump());
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    private void pump(Consumer<String> echo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                echo.accept(line);
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The stream closes when the process ends; waiters see that through isAlive().
        } finally {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** @return the gateway JVM's threads as {@code jcmd Thread.print} prints them, for a failure message */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** Kills the gateway JVM with SIGKILL (kill -9): no shutdown hook, no clean stop of Felix. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        pump.join(5_000);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5_000);
    }
}
