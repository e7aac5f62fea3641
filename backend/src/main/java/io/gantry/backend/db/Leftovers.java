package io.gantry.backend.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Clears the staging folders (upload spool, artifact staging) of files a stopped or crashed process
 * left behind, when a node starts. Several nodes may share the data folder (they must share the
 * artifact store), so a file another node is still writing or verifying must survive: only files
 * not written for {@link #ABANDONED_AFTER} are deleted. An upload writes its file continuously and
 * verifies it within minutes, so an hour without a write means no process is using it.
 */
public final class Leftovers {
    /** How long a staging file must have gone unwritten before a starting node deletes it. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private Leftovers() {
    }

    /**
     * Deletes the regular files directly in {@code dir} last modified before {@code now} minus {@link #ABANDONED_AFTER}.
     *
     * @return how many were deleted
     */
    public static int deleteAbandoned(Path dir, Instant now) throws IOException {
        Instant cutoff = now.minus(ABANDONED_AFTER);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path p : files) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // Its owner moved or deleted it meanwhile.
                }
            }
        }
        return deleted;
    }
}
