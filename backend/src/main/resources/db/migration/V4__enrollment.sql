-- Gantry backend schema, version 4: EST enrollment (docs/backend-api.md, "EST").
-- A factory credential (CN=<id>,OU=factory) enrolls its device exactly once: the first successful
-- simpleenroll inserts its row, and the primary key makes a second use fail atomically
-- (FACTORY_CREDENTIAL_USED), even when two requests race.

CREATE TABLE factory_credentials_used (
    -- issuer DN (RFC 2253) and hex serial of the factory certificate
    issuer        VARCHAR(512) NOT NULL,
    serial        VARCHAR(40)  NOT NULL,
    device_id     VARCHAR(64)  NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- hex serial of the device certificate that enrollment issued
    issued_serial VARCHAR(40)  NOT NULL,
    PRIMARY KEY (issuer, serial)
);
