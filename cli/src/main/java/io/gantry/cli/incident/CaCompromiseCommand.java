package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.FactoryCredentials;
import io.gantry.pki.IntermediateRotation;
import io.gantry.pki.PkiDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry incident ca-compromise}: affected-devices, revoke, reenroll, retire, report for a
 * compromised intermediate CA, after {@code gantry pki rotate-intermediate} and a backend restart
 * (docs/incident-playbook.md).
 */
@Command(name = "ca-compromise", description = "The playbook for a compromised intermediate CA (docs/incident-playbook.md).",
        subcommands = {CaCompromiseCommand.AffectedDevices.class, CaCompromiseCommand.Revoke.class,
            CaCompromiseCommand.Reenroll.class, CaCompromiseCommand.Retire.class, CaCompromiseCommand.Report.class})
final class CaCompromiseCommand {
    private CaCompromiseCommand() {
    }

    /** A step naming the intermediate. */
    abstract static class CaStep extends IncidentStep {
        @Option(names = "--intermediate", required = true, description = "the compromised intermediate: common name or hex serial")
        String intermediate;
        @Option(names = "--include-service-certs", description = "also the backend's server, operator and OCSP certificates")
        boolean includeServiceCerts;

        @Override
        String incident() {
            return "ca-compromise " + intermediate;
        }

        CompromisedIntermediate resolve() throws Exception {
            return CompromisedIntermediate.find(PkiDirectory.open(options.pki(), Clock.systemUTC()), intermediate);
        }

        JsonNode certificates(ManagementClient client, CompromisedIntermediate ca) throws Exception {
            return client.get("incidents/intermediates/" + ca.keyId() + "/certificates?includeServiceCerts=" + includeServiceCerts);
        }
    }

    /** Which certificates (devices, and factory credentials not yet used) the intermediate issued that are still GOOD. */
    @Command(name = "affected-devices", description = "List the GOOD certificates the intermediate issued (service certificates only when asked).")
    static final class AffectedDevices extends CaStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            CompromisedIntermediate ca = resolve();
            JsonNode certs = certificates(client, ca);
            certs.forEach(c -> out.println("  " + c.path("role").asText() + " " + c.path("subject").asText() + " serial "
                    + c.path("serial").asText()));
            return new Result(certs.size() + " GOOD certificates issued by " + ca.name(), JSON.createObjectNode()
                    .put("issuerKeyId", ca.keyId()).set("certificates", certs));
        }
    }

    /** Mass revocation (cACompromise) of what the intermediate issued, sparing service certificates unless asked. */
    @RunsOnce
    @Command(name = "revoke", description = "Revoke every device certificate the intermediate issued (cACompromise).")
    static final class Revoke extends CaStep {

        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            CompromisedIntermediate ca = resolve();
            CompromisedIntermediate.requireNotCurrent(ca, "revoking its certificates while it still issues new ones");
            JsonNode before = certificates(client, ca);
            ObjectNode body = JSON.createObjectNode().put("includeServiceCerts", includeServiceCerts);
            JsonNode revoked = client.post("incidents/intermediates/" + ca.keyId() + "/revocations", body, 200).path("revoked");
            ObjectNode data = JSON.createObjectNode().put("issuerKeyId", ca.keyId());
            data.set("certificates", before);
            data.set("revoked", revoked);
            return new Result("revoked " + revoked.size() + " certificates issued by " + ca.name()
                    + (includeServiceCerts ? " (service certificates included)" : " (server and operator certificates spared)"), data);
        }
    }

    /** New factory credentials, from the new intermediate, for every device whose certificate the revoke step took. */
    @RunsOnce
    @Command(name = "reenroll", description = "Issue a new factory credential (new intermediate) for every revoked device;"
            + " each device enrolls with it over EST simpleenroll.")
    static final class Reenroll extends CaStep {
        @Option(names = "--days", defaultValue = "30", description = "validity of the factory credentials (default ${DEFAULT-VALUE})")
        int days;



        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            CompromisedIntermediate ca = resolve();
            CompromisedIntermediate.requireNotCurrent(ca, "issuing factory credentials from it");
            JsonNode revoked = journal.done("revoke").orElseThrow(() -> new IllegalStateException(
                    "the journal has no finished revoke step: run 'incident ca-compromise revoke' first")).path("data");
            PkiDirectory pki = PkiDirectory.open(options.pki(), Clock.systemUTC());
            ArrayNode issued = JSON.createArrayNode();
            for (JsonNode c : revoked.path("certificates")) {
                if (!c.path("role").asText().equals("devices")) {
                    continue;
                }
                String id = c.path("subject").asText().replaceFirst("^CN=([^,]+),.*$", "$1");
                Path existing = FactoryCredentials.keyStore(pki, id);
                if (Files.exists(existing)) {
                    Path aside = Files.createDirectories(existing.resolveSibling("superseded")).resolve(id + ".p12");
                    Files.move(existing, aside, StandardCopyOption.REPLACE_EXISTING);
                }
                Path store = FactoryCredentials.issue(pki, id, Duration.ofDays(days));
                out.println("  " + id + ": " + store);
                issued.addObject().put("device", id).put("credential", store.toString());
            }
            return new Result("issued " + issued.size() + " factory credentials from the new intermediate; deliver each to its"
                    + " device out of band, which enrolls with it ('gantry enroll --credential', gateway provision)",
                    JSON.createObjectNode().set("credentials", issued));
        }
    }

    /** Retires every superseded intermediate in the root-signed CRL (offline: needs the root key); restart the backend after. */
    @Command(name = "retire", description = "Offline: list the superseded intermediates in the root-signed CRL; restart the backend after.")
    static final class Retire extends CaStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            CompromisedIntermediate ca = resolve();
            CompromisedIntermediate.requireNotCurrent(ca, "retiring it");
            // Spared service certificates stop working with it: say which, so operators get new ones first.
            for (JsonNode c : client.get("incidents/intermediates/" + ca.keyId() + "/certificates?includeServiceCerts=true")) {
                out.println("  warning: " + c.path("role").asText() + " " + c.path("subject").asText()
                        + " chains through " + ca.name() + " and is refused once the backend restarts with the CRL");
            }
            PkiDirectory pki = PkiDirectory.open(options.pki(), Clock.systemUTC());
            var serials = IntermediateRotation.retireSuperseded(pki, Clock.systemUTC());
            return new Result("retired " + serials.size() + " intermediates in " + IntermediateRotation.retiredCrl(pki)
                    + "; restart the backend to refuse their chains", JSON.createObjectNode().put("crl",
                    IntermediateRotation.retiredCrl(pki).toString()));
        }
    }

    /** The incident's summary: the journal and what the intermediate still has GOOD. */
    @Command(name = "report", description = "Print the incident report (markdown) from the journal and the backend.")
    static final class Report extends CaStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            CompromisedIntermediate ca = resolve();
            StringBuilder b = new StringBuilder("# Incident report: ").append(journal.incident()).append("\n\n")
                    .append(IncidentJournal.stepsMarkdown(journal.entries()));
            JsonNode good = client.get("incidents/intermediates/" + ca.keyId() + "/certificates?includeServiceCerts=true");
            b.append("\n## Still GOOD under ").append(ca.name()).append(" (").append(good.size()).append(")\n\n");
            good.forEach(c -> b.append("- ").append(c.path("role").asText()).append(" ").append(c.path("subject").asText()).append('\n'));
            out.println(b);
            return new Result("report: " + good.size() + " certificates of " + ca.name() + " still GOOD", JSON.createObjectNode());
        }
    }
}
