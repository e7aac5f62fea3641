package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.db.DownloadRecord;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry download-log verify} on a stopped backend's data folder: 0 when intact, 1 when edited. */
class DownloadLogCommandTest {
    @TempDir
    Path data;

    @Test
    void exitsZeroWhenIntactAndOneWhenAnEntryWasEdited() throws Exception {
        try (Database db = Database.open(data.resolve("db"))) {
            DownloadLogRepository log = new DownloadLogRepository();
            for (int i = 0; i < 3; i++) {
                DownloadRecord r = new DownloadRecord(Instant.parse("2026-12-04T12:00:0" + i + "Z"), "dev-" + i, "127.0.0.1",
                        7, "fw.bin", null, 100 * i, "200 complete");
                db.inTransaction(c -> log.append(c, r));
            }
        }
        String[] verify = {"download-log", "verify", "--backend-data", data.toString()};
        assertEquals(0, GantryCli.commandLine().execute(verify));
        try (Database db = Database.open(data.resolve("db"))) {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE download_log SET controller_id = 'dev-x' WHERE id = 3")) {
                    return ps.executeUpdate();
                }
            });
        }
        assertEquals(1, GantryCli.commandLine().execute(verify));
    }
}
