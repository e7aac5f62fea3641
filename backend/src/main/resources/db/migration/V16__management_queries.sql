-- Indexes for the management API's searches (docs/backend-api.md, "Fleet search" and the query endpoints).
CREATE INDEX target_attributes_by_value ON target_attributes (name, value_text);
CREATE INDEX target_tags_by_tag ON target_tags (tag, controller_id);
CREATE INDEX targets_by_last_seen ON targets (last_seen);
CREATE INDEX issued_by_subject ON issued_certificates (subject, role, status);
CREATE INDEX download_log_by_controller ON download_log (controller_id, id);
CREATE INDEX security_events_by_code ON security_events (code, id);
