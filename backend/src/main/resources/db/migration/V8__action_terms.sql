-- How an action is to be carried out (hawkBit's action type) and when: an optional daily
-- maintenance window in the device's local time zone ("HH:MM-HH:MM@Zone/Id").
ALTER TABLE actions ADD COLUMN action_type VARCHAR(16) DEFAULT 'forced' NOT NULL;
ALTER TABLE actions ADD CONSTRAINT actions_type CHECK (action_type IN ('forced', 'soft', 'downloadonly'));
ALTER TABLE actions ADD COLUMN maintenance_window VARCHAR(64);
