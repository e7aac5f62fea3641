package io.gantry.backend.ddi;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.db.DownloadRecord;
import io.gantry.backend.failure.FailureStatus;
import io.gantry.backend.metrics.BackendMetrics;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Writes every artifact download request to the hash-chained download log: refusals when they are
 * answered, bodies when their last byte is written or the transfer breaks off, with the bytes that
 * actually left, and every offloaded link the backend issued. A transfer that completes the
 * artifact (its last byte sent) is counted against the {@link DownloadCompletions} limit in the
 * same transaction as its log entry. A log write that fails is reported loudly and does not fail
 * the device's request (its bytes are already on the wire).
 */
final class DownloadLog {
    private static final System.Logger LOG = System.getLogger(DownloadLog.class.getName());
    private static final DownloadLogRepository REPOSITORY = new DownloadLogRepository();
    private final DeviceApiServices s;
    private final DownloadCompletions completions;
    private final BackendMetrics metrics;

    DownloadLog(DeviceApiServices services, DownloadCompletions completions, BackendMetrics metrics) {
        this.s = services;
        this.completions = completions;
        this.metrics = metrics;
    }

    /** What is known of a request before its body is written. */
    record Request(String controllerId, String remoteAddress, long releaseId, String artifact, String range) {
    }

    /** Logs a request answered without a body (404, 416, 429) as its status and code, e.g. {@code 416 RANGE_NOT_SATISFIABLE}. */
    void refused(Request r, FailureCode code) {
        metrics.downloadRefused(code);
        write(r, 0, FailureStatus.require(code) + " " + code.name(), false);
    }

    /** Logs a HEAD request, answered with the download's headers and no body: {@code 200 head}. */
    void head(Request r, int status) {
        write(r, 0, status + " head", false);
    }

    /** Logs a payload link to the offload proxy issued in a deploymentBase answer, e.g. {@code link issued, expires 2026-...Z}. */
    void linkIssued(Request r, Instant expires) {
        write(r, 0, "link issued, expires " + expires, false);
    }

    /**
     * @param finishesArtifact whether the body ends with the artifact's last byte: once it is all
     *     sent, the download counts against the per-device limit
     * @return {@code body}, logging the bytes it wrote and how it ended once it is done
     */
    StreamingOutput logged(Request r, int status, StreamingOutput body, boolean finishesArtifact) {
        return out -> {
            CountingStream counted = new CountingStream(out);
            String result = status + " complete";
            boolean complete = false;
            try {
                body.write(counted);
                complete = true;
            } catch (IOException | RuntimeException e) {
                result = status + " aborted: " + e.getClass().getSimpleName();
                throw e;
            } finally {
                metrics.downloaded(complete ? BackendMetrics.DownloadResult.COMPLETE : BackendMetrics.DownloadResult.ABORTED,
                        counted.count);
                write(r, counted.count, result, complete && finishesArtifact);
            }
        };
    }

    private void write(Request r, long bytes, String result, boolean countCompletion) {
        Instant now = s.clock().instant();
        DownloadRecord record = new DownloadRecord(now, r.controllerId(), r.remoteAddress(), r.releaseId(),
                r.artifact(), r.range(), bytes, result.length() > 128 ? result.substring(0, 128) : result);
        try {
            s.database().inTransaction(c -> {
                // The append locks the log's head row first: completions are counted under that lock.
                long id = REPOSITORY.append(c, record);
                if (countCompletion) {
                    completions.count(c, r.controllerId(), r.releaseId(), r.artifact(), now);
                }
                return id;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "download log write failed for " + record + ": " + e);
        }
    }

    /** Counts what passes, so the log says what was sent, not what was asked for. */
    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
