-- Gantry backend schema, version 12: EST renewals (simplereenroll) and the lifecycle of the
-- certificate each one replaces (docs/backend-api.md, "EST enrollment"). Counting a device's rows
-- in the last window enforces the re-enrollment limit on every node; the replaced certificate is
-- revoked (reason superseded) when the new one is first used or when the grace period has passed,
-- and superseded_at records when. Plain SQL that H2 and PostgreSQL both run.

CREATE TABLE certificate_renewals (
    -- hex serial of the certificate the renewal issued (issued_certificates.serial)
    new_serial    VARCHAR(40)  NOT NULL PRIMARY KEY,
    -- hex serial of the certificate the device renewed with
    old_serial    VARCHAR(40)  NOT NULL,
    device_id     VARCHAR(64)  NOT NULL,
    renewed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- when the old certificate was revoked as superseded (or found already revoked); NULL while pending
    superseded_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX certificate_renewals_by_device ON certificate_renewals (device_id, renewed_at);
CREATE INDEX certificate_renewals_pending ON certificate_renewals (superseded_at, renewed_at);
