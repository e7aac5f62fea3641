package io.gantry.cli;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.DownloadLogRepository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gantry download-log verify}: recomputes the hash chain of the backend's download log. */
@Command(name = "download-log", description = "Check the backend's hash-chained download log.",
        subcommands = DownloadLogCommand.Verify.class)
final class DownloadLogCommand {

    /** Recomputes every link and names the first entry that does not fit. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the download log's hash chain (backend stopped: the database is opened directly);"
                    + " exit 0 when intact, 1 naming the first broken entry.")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--backend-data", required = true, description = "the backend's --data folder")
        Path data;
        @Mixin
        DatabaseOptions database = new DatabaseOptions();

        @Override
        public Integer call() throws Exception {
            try (Database db = Database.open(database.settings(), data.toAbsolutePath().resolve("db"))) {
                DownloadLogRepository.Verification v = db.inTransaction(c -> new DownloadLogRepository().verify(c));
                if (v.intact()) {
                    System.out.println("download log intact: " + v.entries() + " entries");
                    return 0;
                }
                System.out.println("download log BROKEN at entry " + v.firstBroken().getAsLong() + ": " + v.reason()
                        + " (" + v.entries() + " entries before it verify)");
                return 1;
            }
        }
    }
}
