-- The devices behind each gateway (docs/devices.md), as the gateway reports them in the per-device
-- lines of its DDI feedback: the gateway's claims, like target_attributes. Plain SQL for H2 and
-- PostgreSQL.
CREATE TABLE gateway_devices (
    controller_id   VARCHAR(64)   NOT NULL,
    device_type     VARCHAR(64)   NOT NULL,
    device_id       VARCHAR(64)   NOT NULL,
    running_version VARCHAR(64)   NOT NULL,
    last_release    VARCHAR(64)   NOT NULL,
    last_result     VARCHAR(16)   NOT NULL,
    last_code       VARCHAR(64),
    last_message    VARCHAR(1024),
    last_action_id  BIGINT        NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (controller_id, device_type, device_id)
);
