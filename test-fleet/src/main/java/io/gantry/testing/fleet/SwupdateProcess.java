package io.gantry.testing.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code swupdate} binary in suricatta mode, as a device runs it: the configuration file,
 * the CMS signer's certificate ({@code -k}, mandatory in Debian's build), the board's hardware
 * revision, and a private {@code TMPDIR}. Output goes to a log file the test can show; closing
 * stops the process (a real device would reboot here).
 */
public final class SwupdateProcess implements AutoCloseable {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private final Process process;
    private final Path log;

    private SwupdateProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code swupdate} with {@code suricattaArgs} (e.g. {@code "-c 2"} to confirm a reboot's success). */
    public static SwupdateProcess start(Path work, Path config, String suricattaArgs) throws IOException {
        int run = RUNS.incrementAndGet();
        Path tmp = Files.createDirectories(work.resolve("tmp-" + run));
        Path log = work.resolve("swupdate-" + run + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of("swupdate", "-v", "-f", config.toString(),
                "-k", work.resolve("signer.crt").toString(), "-H", "board:1.0", "-u", suricattaArgs))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TMPDIR", tmp.toString());
        return new SwupdateProcess(pb.start(), log);
    }

    /**
     * Writes a suricatta configuration as a device keeps it: the hawkBit server, tenant and
     * controller id, the CA the device pins for the server, and its own client key and certificate.
     *
     * @return {@code file}
     */
    public static Path writeConfig(Path file, String url, String tenant, String controllerId, Path caFile, Path key,
            Path cert) throws IOException {
        return Files.writeString(file, String.join("\n",
                "globals: {",
                "  verbose = true;",
                "  loglevel = 6;",
                "};",
                "suricatta: {",
                "  tenant = \"" + tenant + "\";",
                "  id = \"" + controllerId + "\";",
                "  url = \"" + url.replaceAll("/$", "") + "\";",
                "  polldelay = 1;",
                "  retry = 3;",
                "  retrywait = 1;",
                "  enable = true;",
                "  cafile = \"" + caFile + "\";",
                "  sslkey = \"" + key + "\";",
                "  sslcert = \"" + cert + "\";",
                "};", ""));
    }

    /** Waits until swupdate says the installation succeeded and {@code file} exists. */
    public void awaitFile(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && output().contains("SWUPDATE successful")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("swupdate exited " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("swupdate did not install " + file + " within " + timeout + ":\n" + output());
    }

    /** @return everything swupdate printed so far */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
