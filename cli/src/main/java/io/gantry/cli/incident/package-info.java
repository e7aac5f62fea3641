/**
 * {@code gantry incident}: the key-compromise and intermediate-compromise playbooks as commands
 * (docs/incident-playbook.md), each step journaled locally ({@link io.gantry.cli.incident.IncidentJournal})
 * and on the backend (an {@code INCIDENT_STEP} security event).
 */
package io.gantry.cli.incident;
