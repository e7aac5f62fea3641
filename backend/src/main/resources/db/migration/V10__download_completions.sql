-- The per-device artifact download limit (ddi.ArtifactDownloadLimit): per device, release and
-- artifact file, how many complete downloads the current window has seen. A download counts when
-- the artifact's last byte has been sent (a whole-file 200, or the range that finishes a resumed
-- download); interrupted transfers never count, so they can be resumed or started again.
-- window_start opens with the first counted download after the previous window ended; action_id
-- is the device's newest action for the release then, so an operator's new assignment of the
-- same release (a re-offer) opens a new window. Rows are written in the transaction that appends
-- the download log entry, which holds the download_log_head row lock: writers from every backend
-- node are serialised, so the update-then-insert below it never races.
CREATE TABLE download_completions (
    controller_id VARCHAR(64)  NOT NULL,
    release_id    BIGINT       NOT NULL,
    artifact      VARCHAR(255) NOT NULL,
    action_id     BIGINT       NOT NULL,
    window_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    completions   INT          NOT NULL,
    PRIMARY KEY (controller_id, release_id, artifact)
);
