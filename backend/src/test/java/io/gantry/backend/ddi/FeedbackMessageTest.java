package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackMessageTest {
    static FeedbackMessage parse(String json) {
        return FeedbackMessage.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static void assertMalformed(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        assertEquals("MALFORMED_FEEDBACK", e.code());
    }

    @Test
    void readsTheTranscriptsBodies() {
        FeedbackMessage closed = parse("{\"timestamp\": 1795688159761, \"status\": {\"execution\": \"closed\", "
                + "\"result\": {\"finished\": \"success\"}, \"code\": 200, \"details\": [\"Installed demo-ds 1.0.0\"]}}");
        assertEquals(new FeedbackMessage("closed", "success", 200, List.of("Installed demo-ds 1.0.0")), closed);
        assertTrue(closed.closes());
        FeedbackMessage progress = parse("{\"status\": {\"execution\": \"proceeding\", \"result\": {\"finished\": \"none\", "
                + "\"progress\": {\"cnt\": 1, \"of\": 3}}, \"details\": [\"Downloading\"]}}");
        assertEquals("proceeding", progress.execution());
        assertEquals(null, progress.code());
    }

    @Test
    void refusesMalformedBodies() {
        assertMalformed("");
        assertMalformed("[]");
        assertMalformed("{\"status\": {\"execution\": \"closed\"}}");
        assertMalformed("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"none\"}}}");
        assertMalformed("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"success\"}, \"code\": \"200\"}}");
        assertMalformed("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"success\"}, \"details\": [1]}}");
        assertMalformed("{\"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"success\"}}} {}");
        assertMalformed("{\"timestamp\": \"yesterday\", \"status\": {\"execution\": \"closed\", \"result\": {\"finished\": \"success\"}}}");
    }
}
