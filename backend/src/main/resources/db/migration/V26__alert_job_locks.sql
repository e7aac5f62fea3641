-- Fleet-alert jobs on several nodes (docs/operations.md, "Several backend nodes").

-- When a job last ran, on any node: a node that takes a job's lock skips the run if another node
-- ran it within half an interval, so the fleet evaluates once per interval, not once per node.
ALTER TABLE job_locks ADD COLUMN last_run_at TIMESTAMP WITH TIME ZONE;

-- One lock each: the fleet-health evaluator, the anomaly scan, and the operator webhook's dispatcher
-- (one node posts at a time, so an alert is not posted once per node).
INSERT INTO job_locks (name) VALUES ('fleet-health');
INSERT INTO job_locks (name) VALUES ('anomaly-scan');
INSERT INTO job_locks (name) VALUES ('alert-dispatch');
