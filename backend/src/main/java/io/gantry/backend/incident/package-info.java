/**
 * The incident playbooks on the backend's side (docs/incident-playbook.md): what a compromised
 * release-signing key signed and who installed it, freezing and unfreezing its rollouts, the
 * withdrawal of releases a rotated trust root no longer authorizes, the archive of a stored
 * release for re-signing, and the mass revocation of a compromised intermediate's device
 * certificates. Depends on storage, rollouts, revocation and the management API's trust root;
 * nothing depends on it but the assembly.
 */
package io.gantry.backend.incident;
