package io.gantry.cli.incident;

import picocli.CommandLine.Command;

/** {@code gantry incident}: the incident playbooks (docs/incident-playbook.md). */
@Command(name = "incident", description = "Incident playbooks: a compromised release-signing key or intermediate CA"
        + " (docs/incident-playbook.md).", subcommands = {KeyCompromiseCommand.class, CaCompromiseCommand.class})
public final class IncidentCommand {
}
