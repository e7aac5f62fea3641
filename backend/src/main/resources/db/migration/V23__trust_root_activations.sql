-- Live trust-root rotation and the key-compromise playbook (docs/incident-playbook.md).
-- Portable SQL (H2 and PostgreSQL).

-- Every trust root the backend switched to from a trust-root release, by version: at start the
-- backend replays them on top of its configured root, so a rotation survives a restart.
CREATE TABLE trust_root_activations (
    version      BIGINT PRIMARY KEY,
    release_id   BIGINT NOT NULL REFERENCES releases (id),
    activated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Releases that lost their signing threshold under a newer trust root (a signer was revoked):
-- never assigned again, their open actions canceled, their rollouts canceled.
CREATE TABLE withdrawn_releases (
    release_id         BIGINT PRIMARY KEY REFERENCES releases (id),
    trust_root_version BIGINT       NOT NULL,
    code               VARCHAR(64)  NOT NULL,
    withdrawn_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Rollouts an incident's freeze paused, so unfreeze resumes exactly those.
CREATE TABLE incident_frozen_rollouts (
    key_id     VARCHAR(64) NOT NULL,
    rollout_id BIGINT      NOT NULL REFERENCES rollouts (id),
    frozen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (key_id, rollout_id)
);
