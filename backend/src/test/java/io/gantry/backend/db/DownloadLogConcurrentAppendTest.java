package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backend nodes (two connection pools on one database, H2 or PostgreSQL) appending to the
 * download log at the same time keep one linear chain: every append took the chain head's row
 * lock, so no two entries share a predecessor and the whole chain verifies. Their times carry
 * nanoseconds, as a system clock on Linux gives, which the databases keep only to the microsecond.
 */
class DownloadLogConcurrentAppendTest {
    private static final int WRITERS_PER_NODE = 3;
    private static final int APPENDS_PER_WRITER = 40;
    @TempDir
    Path dir;

    @Test
    void appendsFromTwoNodesAtOnceKeepOneVerifiableChain() throws Exception {
        DownloadLogRepository log = new DownloadLogRepository();
        try (Database nodeA = Database.open(TestDatabases.settings(dir), dir);
                Database nodeB = Database.open(TestDatabases.settings(dir), dir)) {
            ExecutorService writers = Executors.newFixedThreadPool(2 * WRITERS_PER_NODE);
            CyclicBarrier start = new CyclicBarrier(2 * WRITERS_PER_NODE);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2 * WRITERS_PER_NODE; w++) {
                Database node = w % 2 == 0 ? nodeA : nodeB;
                String device = "dev-" + w;
                done.add(writers.submit(() -> {
                    start.await();
                    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                        DownloadRecord r = new DownloadRecord(Instant.parse("2026-03-01T12:00:00Z").plusNanos(1_000_000_001L * i + 7), device,
                                "127.0.0.1", 1, "fw.bin", null, i, "200 complete");
                        node.inTransaction(c -> log.append(c, r));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            writers.shutdown();
            int total = 2 * WRITERS_PER_NODE * APPENDS_PER_WRITER;
            DownloadLogRepository.Verification v = nodeB.inTransaction(log::verify);
            assertTrue(v.intact(), () -> "chain broken at " + v.firstBroken() + ": " + v.reason());
            assertEquals(total, v.entries());
            long distinctPredecessors = nodeA.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT prev_hash) FROM download_log");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(total, distinctPredecessors, "no entry forks the chain (two entries with one predecessor)");
        }
    }
}
