package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.db.DownloadRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gantry download-log verify} on a stopped backend's data folder: 0 when intact, 1 when edited;
 * a configured PostgreSQL that cannot be used is named by its code.
 */
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

    @Test
    void aPostgreSqlThatDoesNotAnswerIsNamedAndNoH2DatabaseIsMade() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path password = Files.writeString(data.resolve("db.pass"), "not-printed\n");
        StringWriter err = new StringWriter();
        CommandLine cli = GantryCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("download-log", "verify", "--backend-data", data.toString(),
                "--db-url", "jdbc:postgresql://127.0.0.1:" + closed + "/gantry", "--db-user", "gantry",
                "--db-password-file", password.toString()));
        assertTrue(err.toString().contains("DATABASE_UNREACHABLE") && !err.toString().contains("not-printed"), err.toString());
        assertFalse(Files.exists(data.resolve("db")), "no embedded database instead");
        err.getBuffer().setLength(0);
        assertEquals(1, cli.execute("download-log", "verify", "--backend-data", data.toString(), "--db-user", "gantry"));
        assertTrue(err.toString().contains("--db-user and --db-password-file need --db-url"), err.toString());
    }
}
