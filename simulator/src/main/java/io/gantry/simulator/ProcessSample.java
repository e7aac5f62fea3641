package io.gantry.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status} (Linux).
 *
 * @param cpuNanos user plus system CPU time so far
 * @param rssKib {@code VmRSS}
 * @param peakRssKib {@code VmHWM}, the peak resident set since the process started
 */
record ProcessSample(long cpuNanos, long rssKib, long peakRssKib) {
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    static ProcessSample of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        long rss = 0;
        long hwm = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kib(line);
            }
        }
        return new ProcessSample(ticks * (1_000_000_000L / TICKS_PER_SECOND), rss, hwm);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
