-- Attributes a device reports about itself (hawkBit configData): certificate expiry and renewal
-- phase among them. Values are what the device said, not trusted facts.
CREATE TABLE target_attributes (
    controller_id VARCHAR(64)   NOT NULL,
    name          VARCHAR(128)  NOT NULL,
    value_text    VARCHAR(1024) NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (controller_id, name)
);
