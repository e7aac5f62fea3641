package io.gantry.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The transport reacts to the backend's three command types and to nothing else. */
class CommandMessageTest {
    private static String type(String json) {
        return CommandMessage.typeOf(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void knownTypesAreRead() {
        assertEquals("checkIn", type("{\"type\":\"checkIn\",\"actionId\":12,\"issuedAt\":\"2026-01-01T00:00:00Z\"}"));
        assertEquals("cancel", type("{\"type\": \"cancel\",\"actionId\":12}"));
        assertEquals("trustRoot", type("{\"type\":\"trustRoot\",\"releaseId\":7}"));
    }

    @Test
    void theIdIsEchoedOnlyAsANumber() {
        assertEquals("\"actionId\":12", CommandMessage.idField("{\"type\":\"checkIn\",\"actionId\": 12}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("\"releaseId\":7", CommandMessage.idField("{\"type\":\"trustRoot\",\"releaseId\":7}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", CommandMessage.idField("{\"type\":\"checkIn\",\"actionId\":\"12,\\\"x\\\":1\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", CommandMessage.idField(null));
    }

    @Test
    void anythingElseIsIgnored() {
        assertNull(type("{\"type\":\"reboot\"}"));
        assertNull(type("not json"));
        assertNull(CommandMessage.typeOf(new byte[8192]));
        assertNull(CommandMessage.typeOf(null));
    }
}
