package io.gantry.backend.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One artifact download request as the download log keeps it.
 *
 * @param loggedAt when the request ended (or was refused)
 * @param controllerId the device
 * @param remoteAddress its address, or {@code null}
 * @param releaseId the release asked for
 * @param artifact the file name asked for
 * @param range the {@code Range} header as sent, or {@code null}
 * @param bytesSent bytes of the body actually written to the device
 * @param result {@code 200 complete}, {@code 206 complete}, {@code 429 DOWNLOAD_LIMIT},
 *     {@code 200 aborted: <reason>}, ...
 */
public record DownloadRecord(Instant loggedAt, String controllerId, String remoteAddress, long releaseId, String artifact,
        String range, long bytesSent, String result) {
    /**
     * Keeps {@code loggedAt} to the microsecond, the precision both databases store: the hash is
     * taken over what is read back, and a system clock gives nanoseconds on Linux.
     */
    public DownloadRecord {
        loggedAt = loggedAt == null ? null : loggedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** @return the text the chain hashes: every field, tab-separated, {@code -} for none */
    String canonical(long id) {
        return String.join("\t", Long.toString(id), loggedAt.toString(), controllerId, orDash(remoteAddress),
                Long.toString(releaseId), artifact, orDash(range), Long.toString(bytesSent), result);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
