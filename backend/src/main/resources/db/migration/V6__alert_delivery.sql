-- Gantry backend schema, version 6: how far each operator alert webhook has been served.
-- AlertDispatcher posts security events with id > last_event_id, in id order, and moves the
-- cursor only after the webhook answered 2xx (at-least-once delivery, survives restarts).
-- webhook: 'sha256:' + hex SHA-256 of the URL (a webhook URL may carry its secret).

CREATE TABLE alert_delivery (
    webhook        VARCHAR(2000) PRIMARY KEY,
    last_event_id  BIGINT        NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
