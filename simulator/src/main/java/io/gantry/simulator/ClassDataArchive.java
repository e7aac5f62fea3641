package io.gantry.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application class-data archive {@code ./gantry backend} makes for itself (the launcher's
 * {@code backend_cds_options}), made the same way for a backend the simulator starts: the first
 * start records the classes it loads ({@link #recordOptions()}), {@link #build()} dumps the archive
 * from that list with the backend's class path, later starts map it ({@link #useOptions()}, with
 * {@code -Xshare:on} so that an archive the JVM cannot map stops the start instead of being ignored).
 */
final class ClassDataArchive {
    private final Path list;
    private final Path archive;
    private final String classPath;

    /**
     * @param dir folder for the class list, the archive and the dump's log (created)
     * @param classPath the backend's class path, exactly as its starts give it
     */
    ClassDataArchive(Path dir, String classPath) throws IOException {
        Files.createDirectories(dir);
        this.list = dir.resolve("classes.lst");
        this.archive = dir.resolve("backend.jsa");
        this.classPath = classPath;
    }

    /** @return the JVM options of the start that records the class list */
    List<String> recordOptions() {
        return List.of("-XX:DumpLoadedClassList=" + list);
    }

    /** @return the JVM options of a start that maps the archive */
    List<String> useOptions() {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on");
    }

    /**
     * Dumps the archive from the recorded list, as the launcher does in the background.
     *
     * @return the archive's size in bytes
     * @throws IOException if the dump fails (its output is in {@code dump.log} beside the archive)
     */
    long build() throws IOException, InterruptedException {
        Path log = archive.resolveSibling("dump.log");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xshare:dump",
                "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive, "-cp", classPath)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("class-data archive dump did not finish in 5 minutes; see " + log);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
            throw new IOException("class-data archive dump failed (exit " + p.exitValue() + "); see " + log);
        }
        return Files.size(archive);
    }
}
