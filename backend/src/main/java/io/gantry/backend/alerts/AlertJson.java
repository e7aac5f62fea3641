package io.gantry.backend.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON of an alert change, as MQTT carries it and the webhook's detail holds it (docs/operations.md). */
public final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {
    }

    /** @return {@code {"change":"OPENED","id":..,"kind":..,"subjectType":..,"subject":..,"severity":..,"state":..,...}} */
    public static String of(AlertChange change) {
        FleetAlert a = change.alert();
        ObjectNode n = JSON.createObjectNode();
        n.put("change", change.change().name());
        n.put("id", a.id());
        n.put("kind", a.kind().name());
        n.put("subjectType", a.subjectType().name());
        n.put("subject", a.subject());
        n.put("severity", a.severity().name());
        n.put("state", a.state().name());
        n.put("message", a.message());
        n.put("firstSeen", a.firstSeen().toString());
        n.put("lastSeen", a.lastSeen().toString());
        n.put("count", a.count());
        if (a.acknowledgedBy() != null) {
            n.put("acknowledgedBy", a.acknowledgedBy());
            n.put("acknowledgedAt", a.acknowledgedAt().toString());
        }
        if (a.resolvedAt() != null) {
            n.put("resolvedAt", a.resolvedAt().toString());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode of strings and numbers always serialises", e);
        }
    }
}
