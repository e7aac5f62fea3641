package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry devices list|show}: the fleet through the management API (docs/cli.md). */
@Command(name = "devices", description = "List the fleet and show one device (docs/cli.md).",
        subcommands = {DevicesCommand.ListAll.class, DevicesCommand.Show.class})
final class DevicesCommand {
    private DevicesCommand() {
    }

    /** {@code devices list}. */
    @Command(name = "list", description = "List devices (a page of the fleet, by controller id).")
    static final class ListAll extends PagedListCall {
        @Override
        String path() {
            return "targets";
        }

        @Override
        List<String> headers() {
            return List.of("DEVICE", "TYPE", "LAST SEEN", "CERTIFICATE UNTIL");
        }

        @Override
        List<String> row(JsonNode t) {
            return List.of(OperatorTables.text(t, "controllerId"), OperatorTables.text(t, "deviceType"),
                    OperatorTables.text(t, "lastSeen"), OperatorTables.text(t, "certificateNotAfter"));
        }
    }

    /** {@code devices show}. */
    @Command(name = "show", description = "Show a device: devices behind it and their versions, attributes, certificate, history.")
    static final class Show extends OperatorCall {
        @Parameters(index = "0", description = "controller id")
        String id;

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            ObjectNode all = JSON.createObjectNode();
            all.set("target", client.target(id));
            all.set("attributes", client.attributes(id));
            try {
                all.set("certificates", client.certificatesOf(id));
            } catch (ManagementException e) {
                if (!"CERTIFICATE_NOT_FOUND".equals(e.code())) {
                    throw e;
                }
                all.putArray("certificates");
            }
            return all;
        }

        @Override
        String endpoint() {
            return "GET /rest/v1/targets/{id}";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            JsonNode t = answer.path("target");
            out.println("device " + OperatorTables.clean(t.path("controllerId").asText()) + "  first seen "
                    + OperatorTables.text(t, "firstSeen") + "  last seen " + OperatorTables.text(t, "lastSeen"));
            out.println();
            List<List<String>> devices = new ArrayList<>();
            for (JsonNode d : t.path("devices")) {
                devices.add(List.of(OperatorTables.text(d, "deviceId"), OperatorTables.text(d, "type"),
                        OperatorTables.text(d, "runningVersion"), OperatorTables.text(d, "lastRelease"),
                        OperatorTables.text(d, "lastResult"), OperatorTables.text(d, "lastCode")));
            }
            OperatorTables.print(out, List.of("BEHIND IT", "TYPE", "RUNNING", "LAST RELEASE", "RESULT", "CODE"), devices);
            out.println();
            List<List<String>> attributes = new ArrayList<>();
            answer.path("attributes").fields().forEachRemaining(e -> attributes.add(List.of(e.getKey(), e.getValue().asText())));
            OperatorTables.print(out, List.of("ATTRIBUTE", "VALUE (reported by the device)"), attributes);
            out.println();
            List<List<String>> certs = new ArrayList<>();
            for (JsonNode c : answer.path("certificates")) {
                certs.add(List.of(OperatorTables.text(c, "serial"), OperatorTables.text(c, "status"),
                        OperatorTables.text(c, "notAfter")));
            }
            OperatorTables.print(out, List.of("CERTIFICATE", "STATUS", "NOT AFTER"), certs);
            out.println();
            List<List<String>> actions = new ArrayList<>();
            for (JsonNode a : t.path("actions")) {
                actions.add(List.of(OperatorTables.text(a, "id"), OperatorTables.text(a, "releaseId"),
                        OperatorTables.text(a, "status"), OperatorTables.text(a, "updatedAt")));
            }
            OperatorTables.print(out, List.of("ACTION", "RELEASE", "STATUS", "UPDATED"), actions);
        }
    }
}
