-- Gantry backend schema, version 3: every certificate the CA issued, and its revocation status.
-- Filled from the PKI folder's issued.log at start and whenever an unknown serial is presented,
-- and by online issuance; read by the TLS trust manager, the identity filter, the CRL publisher
-- and the OCSP responder.

CREATE TABLE issued_certificates (
    -- lower-case hex of the serial number, without leading zeros (BigInteger.toString(16))
    serial        VARCHAR(40)   PRIMARY KEY,
    subject       VARCHAR(512)  NOT NULL,
    issuer        VARCHAR(512)  NOT NULL,
    -- hex subject key identifier of the issuing CA: names its CRL (/crl/<issuer_key_id>.crl)
    issuer_key_id VARCHAR(128)  NOT NULL,
    role          VARCHAR(32)   NOT NULL,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after     TIMESTAMP WITH TIME ZONE NOT NULL,
    status        VARCHAR(8)    NOT NULL CHECK (status IN ('GOOD', 'REVOKED')),
    revoked_at    TIMESTAMP WITH TIME ZONE,
    -- RFC 5280 CRLReason name (keyCompromise, superseded, ...)
    reason        VARCHAR(32),
    -- SHA-256 of the DER: a presented certificate must be this exact one, not just the same serial
    sha256        CHAR(64)      NOT NULL,
    certificate   BLOB          NOT NULL,
    CONSTRAINT issued_revocation_complete CHECK ((status = 'GOOD' AND revoked_at IS NULL AND reason IS NULL)
        OR (status = 'REVOKED' AND revoked_at IS NOT NULL AND reason IS NOT NULL))
);

CREATE INDEX issued_by_issuer ON issued_certificates (issuer_key_id, status);

-- The last CRL number each issuing CA used (RFC 5280 5.2.3: monotonically increasing).
CREATE TABLE crl_numbers (
    issuer_key_id VARCHAR(128) PRIMARY KEY,
    crl_number    BIGINT       NOT NULL
);
