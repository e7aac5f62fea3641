package io.gantry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.mqtt.DeviceCommand;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One release through a rollout over the demo fleet (docs/rollouts.md): the gateway as the canary,
 * then 100 %, the simulated devices. Shows the scheduler's MQTT {@code checkIn} push to the
 * gateway and how soon the gateway polled, and prints the rollout's progress until it finishes.
 */
final class DemoRollout {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManagementClient mgmt;
    private final ActionWatcher watcher;
    private final EmbeddedBroker broker;
    private final PrintStream out;
    private final String tag;
    private final String gateway;
    private final Duration pollingInterval;
    private final Duration timeout;

    /**
     * @param tag the tag every device of the demo fleet carries (the rollout's filter)
     * @param gateway the real gateway, first in controller-id order: the canary
     * @param pollingInterval what the backend tells devices, for comparison with the push
     */
    DemoRollout(ManagementClient mgmt, ActionWatcher watcher, EmbeddedBroker broker, PrintStream out, String tag, String gateway,
            Duration pollingInterval, Duration timeout) {
        this.mgmt = mgmt;
        this.watcher = watcher;
        this.broker = broker;
        this.out = out;
        this.tag = tag;
        this.gateway = gateway;
        this.pollingInterval = pollingInterval;
        this.timeout = timeout;
    }

    /** @return the gateway's action, closed (FINISHED or not: the caller decides) */
    JsonNode run(String name, long releaseId) throws Exception {
        ObjectNode spec = JSON.createObjectNode().put("name", name).put("releaseId", releaseId).put("canary", 1);
        spec.putObject("filter").putArray("tags").add(tag);
        spec.putArray("percentages").add(100);
        List<String> plan = new ArrayList<>();
        for (JsonNode g : mgmt.dryRunRollout(spec).path("groups")) {
            List<String> members = new ArrayList<>();
            g.path("members").forEach(m -> members.add(m.asText()));
            plan.add(g.path("name").asText() + " " + members);
        }
        Instant created = Instant.now();
        long id = mgmt.createRollout(spec).path("id").asLong();
        out.println("  rollout " + id + " '" + name + "' over the devices tagged " + tag + ": " + String.join(", then ", plan));
        long action = awaitPush(id, created);
        JsonNode closed = watcher.awaitClosed(action, timeout);
        if (!"FINISHED".equals(closed.path("status").asText())) {
            return closed;
        }
        follow(id);
        return closed;
    }

    /** Waits for the scheduler's checkIn push to the gateway and the gateway's status/push report; @return the action */
    private long awaitPush(long rollout, Instant since) throws InterruptedException {
        String topic = "gantry/v1/devices/" + gateway + "/status/push";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<DeviceCommand> command = broker.lastPushed(gateway)
                    .filter(c -> c.type().equals(DeviceCommand.CHECK_IN) && !c.issuedAt().isBefore(since));
            Optional<DeviceStatusBoard.DeviceStatus> status = broker.statuses().last(gateway)
                    .filter(s -> s.topic().equals(topic) && command.isPresent()
                            && s.payload().contains("\"actionId\":" + command.get().id() + ","));
            if (status.isPresent()) {
                JsonNode report = read(status.get().payload());
                long after = Duration.between(command.get().issuedAt(), status.get().receivedAt()).toMillis();
                out.printf("  backend -> %s: MQTT checkIn push (action %d, canary of rollout %d), %s polled %d ms later"
                        + " (its status/push reached the backend %d ms after the push; polling interval %d s)%n", gateway,
                        command.get().id(), rollout, gateway, report.path("pollMs").asLong(), after, pollingInterval.toSeconds());
                if (!report.path("polled").asBoolean()) {
                    throw new IllegalStateException("the gateway's poll after the push failed: " + status.get().payload());
                }
                return command.get().id();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no MQTT checkIn push to " + gateway + " answered within " + timeout + " (rollout "
                + rollout + ")");
    }

    /** Prints each change of the rollout's groups until it is FINISHED. */
    private void follow(long id) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = "";
        while (true) {
            JsonNode r = mgmt.rollout(id);
            StringBuilder line = new StringBuilder("  rollout " + id + " " + r.path("state").asText() + ":");
            for (JsonNode g : r.path("groups")) {
                line.append(' ').append(g.path("name").asText()).append(' ').append(g.path("state").asText()).append(' ')
                        .append(g.path("succeeded").asInt()).append('/').append(g.path("total").asInt()).append(" succeeded;");
            }
            String text = line.substring(0, line.length() - 1);
            if (!text.equals(shown)) {
                out.println(text);
                shown = text;
            }
            String state = r.path("state").asText();
            if (state.equals("FINISHED")) {
                return;
            }
            if (!state.equals("RUNNING") && !state.equals("CREATED")) {
                throw new IllegalStateException("rollout " + id + " is " + state + ": " + r.path("pauseReason").asText());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("rollout " + id + " did not finish within " + timeout + ": " + r);
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable status from the gateway: " + json, e);
        }
    }
}
