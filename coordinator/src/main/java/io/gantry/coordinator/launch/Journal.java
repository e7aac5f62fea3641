package io.gantry.coordinator.launch;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * One transaction on disk: {@code <state>/transactions/<id>/journal.properties} with the step
 * reached, {@code new/<bsn>.jar} (the checked copies to install) and {@code previous/<bsn>.jar}
 * (the running versions to put back). Every write goes to a temporary file, is forced to the disk
 * and renamed over the journal, so after a crash the journal holds one whole step, never half of
 * one. A plain properties file, because the launcher's class path holds nothing to parse more.
 */
final class Journal {
    private static final String FILE = "journal.properties";
    final Path dir;
    final String id;
    String description;
    TxState state;
    /** Starts of the gateway while this set was on trial. */
    int trials;
    long soakUntilMillis;
    String code = "";
    String message = "";
    List<String> details = new ArrayList<>();
    /** Gates that failed before the switch: not held against the new set. */
    List<String> excused = new ArrayList<>();
    final List<Entry> bundles = new ArrayList<>();

    /**
     * One bundle of the set.
     *
     * @param fresh true when no bundle of that name ran before (a revert uninstalls it)
     * @param fromVersion the running version before, empty when fresh
     */
    record Entry(String symbolicName, String fromVersion, String toVersion, String sha256, boolean fresh) {
    }

    Journal(Path dir, String id) {
        this.dir = dir;
        this.id = id;
    }

    Path newJar(String bsn) {
        return dir.resolve("new").resolve(bsn + ".jar");
    }

    Path previousJar(String bsn) {
        return dir.resolve("previous").resolve(bsn + ".jar");
    }

    /** Journals the given step. */
    void write(TxState next) throws IOException {
        this.state = next;
        Properties p = new Properties();
        p.setProperty("id", id);
        p.setProperty("description", description);
        p.setProperty("state", state.name());
        p.setProperty("trials", Integer.toString(trials));
        p.setProperty("soakUntil", Long.toString(soakUntilMillis));
        p.setProperty("code", code);
        p.setProperty("message", message);
        p.setProperty("details", String.join("\n", details));
        p.setProperty("excused", String.join(",", excused));
        p.setProperty("bundles", Integer.toString(bundles.size()));
        for (int i = 0; i < bundles.size(); i++) {
            Entry e = bundles.get(i);
            p.setProperty("bundle." + i + ".bsn", e.symbolicName());
            p.setProperty("bundle." + i + ".from", e.fromVersion());
            p.setProperty("bundle." + i + ".to", e.toVersion());
            p.setProperty("bundle." + i + ".sha256", e.sha256());
            p.setProperty("bundle." + i + ".fresh", Boolean.toString(e.fresh()));
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "gantry bundle-set transaction");
        }
        force(tmp);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        force(dir);
    }

    static Journal read(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE))) {
            p.load(r);
        }
        Journal j = new Journal(dir, p.getProperty("id"));
        j.description = p.getProperty("description", "");
        j.state = TxState.valueOf(p.getProperty("state"));
        j.trials = Integer.parseInt(p.getProperty("trials", "0"));
        j.soakUntilMillis = Long.parseLong(p.getProperty("soakUntil", "0"));
        j.code = p.getProperty("code", "");
        j.message = p.getProperty("message", "");
        String d = p.getProperty("details", "");
        j.details = d.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(d.split("\n")));
        String x = p.getProperty("excused", "");
        j.excused = x.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(x.split(",")));
        int n = Integer.parseInt(p.getProperty("bundles", "0"));
        for (int i = 0; i < n; i++) {
            j.bundles.add(new Entry(p.getProperty("bundle." + i + ".bsn"), p.getProperty("bundle." + i + ".from"),
                    p.getProperty("bundle." + i + ".to"), p.getProperty("bundle." + i + ".sha256"),
                    Boolean.parseBoolean(p.getProperty("bundle." + i + ".fresh"))));
        }
        return j;
    }

    /** Every journaled transaction, oldest id first; a folder without a whole journal is skipped. */
    static List<Journal> all(Path transactions) throws IOException {
        List<Journal> out = new ArrayList<>();
        if (!Files.isDirectory(transactions)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(transactions)) {
            for (Path d : ds) {
                if (Files.exists(d.resolve(FILE))) {
                    out.add(read(d));
                }
            }
        }
        out.sort((a, b) -> a.id.compareTo(b.id));
        return out;
    }

    /** Removes the staged and kept jars once the transaction is final; the journal stays. */
    void dropJars() throws IOException {
        for (String sub : List.of("new", "previous")) {
            Path d = dir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path f : ds) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(d);
            }
        }
    }

    static void force(Path p) throws IOException {
        try (FileChannel ch = Files.isDirectory(p) ? FileChannel.open(p, StandardOpenOption.READ)
                : FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
