package io.gantry.backend.ddi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.ActionTerms;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.StatusReport;
import io.gantry.release.PayloadCheck;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The JSON documents of the device API, shaped like hawkBit DDI v1 (docs/backend-api.md). Links
 * are absolute, built from the base URI of the request that asks.
 */
final class DdiDocuments {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DdiDocuments() {
    }

    /**
     * {@code {"config":{"polling":{"sleep":"HH:MM:SS"}},"_links":{...}}}: {@code deploymentBase} for
     * the oldest open action, or {@code cancelAction} while it is being cancelled;
     * {@code installedBase} for the newest finished one; {@code configData} until the device
     * reported its attributes.
     */
    static ObjectNode poll(Duration sleep, URI controllerBase, DeviceDeployments.PollState state) {
        ObjectNode root = JSON.objectNode();
        root.putObject("config").putObject("polling").put("sleep", hhmmss(sleep));
        ObjectNode links = root.putObject("_links");
        ActionRow open = state.open();
        if (open != null && open.status() == ActionStatus.CANCELING) {
            links.putObject("cancelAction").put("href", controllerBase + "/cancelAction/" + open.id());
        } else if (open != null) {
            URI href = URI.create(controllerBase + "/deploymentBase/" + open.id() + "?c=" + changeHash(open));
            links.putObject("deploymentBase").put("href", href.toString());
        }
        if (state.installed() != null) {
            links.putObject("installedBase").put("href", controllerBase + "/installedBase/" + state.installed().id());
        }
        if (state.attributesWanted()) {
            links.putObject("configData").put("href", controllerBase + "/configData");
        }
        return root;
    }

    /** {@code {"id":"<id>","cancelAction":{"stopId":"<id>"}}}: the action to stop is the action itself. */
    static ObjectNode cancel(ActionRow action) {
        ObjectNode root = JSON.objectNode();
        root.put("id", Long.toString(action.id()));
        root.putObject("cancelAction").put("stopId", Long.toString(action.id()));
        return root;
    }

    /**
     * hawkBit's {@code actionHistory}: the action's status in DDI words and the detail lines of its
     * newest reports, newest first, each prefixed with its execution state.
     */
    static void addHistory(ObjectNode document, ActionRow action, java.util.List<StatusReport> reports) {
        ObjectNode history = document.putObject("actionHistory");
        history.put("status", action.status().name().toLowerCase(Locale.ROOT));
        ArrayNode messages = history.putArray("messages");
        for (StatusReport r : reports) {
            messages.add(r.reportedAt() + " (" + r.execution() + "/" + r.finished() + ") " + String.join(" | ", r.details()));
        }
    }

    /**
     * The deploymentBase document: one chunk for the release, its artifacts with their hashes
     * (sha256 for Gantry; sha1 and md5 because hawkBit clients require them) and, as hawkBit names
     * the links of an HTTPS server, {@code download} and {@code md5sum}.
     */
    static ObjectNode deployment(DeviceDeployments.Deployment d, List<DeploymentArtifact> artifacts, URI controllerBase,
            Instant now) {
        return deployment(d, artifacts, controllerBase, now, Map.of());
    }

    /**
     * As {@link #deployment(DeviceDeployments.Deployment, List, URI, Instant)}, with the {@code download}
     * link of each artifact named in {@code offloaded} (by file name) pointing there instead: a signed
     * link to the offload proxy ({@link SignedLinks}); {@code md5sum} stays on the backend.
     */
    static ObjectNode deployment(DeviceDeployments.Deployment d, List<DeploymentArtifact> artifacts, URI controllerBase,
            Instant now, Map<String, URI> offloaded) {
        ActionRow action = d.action();
        ReleaseRow release = d.release();
        ObjectNode root = JSON.objectNode();
        root.put("id", Long.toString(action.id()));
        ObjectNode deployment = root.putObject("deployment");
        putHandling(deployment, d.terms(), now);
        ObjectNode chunk = deployment.putArray("chunks").addObject();
        chunk.put("part", release.kind().name().toLowerCase(Locale.ROOT));
        chunk.put("name", release.name());
        chunk.put("version", release.version());
        chunk.putArray("metadata").addObject().put("key", "target").put("value", release.target());
        ArrayNode list = chunk.putArray("artifacts");
        for (DeploymentArtifact a : artifacts) {
            ObjectNode o = list.addObject();
            o.put("filename", a.filename());
            o.putObject("hashes").put("sha1", a.compat().sha1()).put("md5", a.compat().md5()).put("sha256", a.sha256());
            o.put("size", a.size());
            String href = controllerBase + "/softwaremodules/" + release.id() + "/artifacts/" + a.filename();
            ObjectNode links = o.putObject("_links");
            links.putObject("download").put("href", offloaded.containsKey(a.filename())
                    ? offloaded.get(a.filename()).toString() : href);
            links.putObject("md5sum").put("href", href + ".MD5SUM");
        }
        return root;
    }

    /**
     * hawkBit's handling fields: {@code download}/{@code update} are {@code forced} or
     * {@code attempt} (soft), {@code update} is {@code skip} for download-only actions and outside
     * the maintenance window, and {@code maintenanceWindow} says which when a window is set.
     */
    private static void putHandling(ObjectNode deployment, ActionTerms terms, Instant now) {
        String handling = terms.type() == ActionTerms.Type.SOFT ? "attempt" : "forced";
        boolean windowOpen = terms.window().map(w -> w.isOpen(now)).orElse(true);
        deployment.put("download", handling);
        deployment.put("update", terms.type() == ActionTerms.Type.DOWNLOAD_ONLY || !windowOpen ? "skip" : handling);
        if (terms.window().isPresent()) {
            deployment.put("maintenanceWindow", windowOpen ? "available" : "unavailable");
        }
    }

    /** hawkBit's {@code c} parameter: changes whenever the action's state does, so caches see a new URL. */
    private static String changeHash(ActionRow a) {
        byte[] d = PayloadCheck.sha256().digest((a.id() + ":" + a.releaseId() + ":" + a.status())
                .getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d, 0, 6);
    }

    /** {@code HH:MM:SS} (hours at least two digits); by hand: {@code String.format} was 2.6% of the server's CPU in a poll. */
    static String hhmmss(Duration d) {
        long s = d.toSeconds();
        return twoDigits(s / 3600) + ":" + twoDigits((s / 60) % 60) + ":" + twoDigits(s % 60);
    }

    private static String twoDigits(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
