-- The per-device download quota's current window (io.gantry.backend.ddi.DownloadLimiter), shared by
-- every backend node: a device spreading its downloads over several nodes gets one quota, not one
-- per node. One row per device that ever downloaded, reused window after window.
CREATE TABLE download_quota_windows (
    controller_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    window_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    requests       INT         NOT NULL,
    bytes          BIGINT      NOT NULL,
    -- whether the window's one artifact larger than the byte budget was fetched
    oversized_used BOOLEAN     NOT NULL,
    -- requests refused in this window (the first is recorded as a security event)
    refusals       INT         NOT NULL
);
