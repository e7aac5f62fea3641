-- Every artifact download request, append-only and hash-chained: entry_hash is the SHA-256 of the
-- previous entry's hash and this entry's canonical text (DownloadLogRepository), so deleting,
-- editing or reordering a row breaks the chain from there on. download_log_head holds the newest
-- link; appends lock it, which serialises writers across backend nodes on one database.
CREATE TABLE download_log (
    id             BIGINT       NOT NULL PRIMARY KEY,
    logged_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    controller_id  VARCHAR(64)  NOT NULL,
    remote_address VARCHAR(128),
    release_id     BIGINT       NOT NULL,
    artifact       VARCHAR(255) NOT NULL,
    range_spec     VARCHAR(64),
    bytes_sent     BIGINT       NOT NULL,
    result         VARCHAR(128) NOT NULL,
    prev_hash      CHAR(64)     NOT NULL,
    entry_hash     CHAR(64)     NOT NULL
);

CREATE TABLE download_log_head (
    id        INT      NOT NULL PRIMARY KEY CHECK (id = 1),
    last_id   BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL
);

INSERT INTO download_log_head (id, last_id, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
