-- Several backend nodes on one database (docs/architecture.md, "Running several nodes").

-- Named row locks a node holds for the length of a job, on a connection of its own
-- (io.gantry.backend.db.JobLock): the rollout scheduler ticks on one node at a time, so its
-- per-minute start budget is counted and spent under one lock. A node that dies loses its
-- connection, and the database releases the lock with it.
CREATE TABLE job_locks (
    name VARCHAR(64) NOT NULL PRIMARY KEY
);

INSERT INTO job_locks (name) VALUES ('rollout-scheduler');

-- A counter every revocation raises in its own transaction. Each node keeps certificate states in
-- memory only while this number is unchanged, and re-reads it at least once a second
-- (CertificateRegistry), so a revocation made through any node is seen by every node within that bound.
CREATE TABLE revocation_generation (
    id         INT    NOT NULL PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);

INSERT INTO revocation_generation (id, generation) VALUES (1, 0);
