package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeedbackMessageTest {
    static FeedbackMessage parse(String json) {
        return FeedbackMessage.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static void assertMalformed(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertEquals(400, e.status());
        assertEquals("MALFORMED_FEEDBACK", e.code().name());
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

    /** As hawkBit accepts them: SWUpdate sends up to 48 lines per message, some far over 1 KiB. */
    @Test
    void acceptsFiftyDetailLinesAndCutsLongOnes() {
        String line = "x".repeat(5000);
        StringBuilder details = new StringBuilder();
        for (int i = 0; i < FeedbackMessage.MAX_DETAILS; i++) {
            details.append(i == 0 ? "" : ",").append('"').append(i == 0 ? line : "line " + i).append('"');
        }
        FeedbackMessage m = FeedbackMessage.parse(("{\"id\":1,\"time\":\"20261204T120000\",\"status\":{\"result\":"
                + "{\"progress\":{\"cnt\":0,\"of\":0},\"finished\":\"none\"},\"execution\":\"proceeding\","
                + "\"details\":[" + details + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(50, m.details().size());
        assertEquals(FeedbackMessage.MAX_DETAIL_CHARS, m.details().get(0).length());
        assertTrue(m.details().get(0).endsWith(FeedbackMessage.TRUNCATED));
        assertMalformed("{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\"},\"details\":["
                + details + ",\"one too many\"]}}");
    }

    @Test
    void reportedRejectionIsTheCodeStartingTheFirstLineOfAClosedFailure() {
        for (RejectionCode code : RejectionCode.values()) {
            assertEquals(Optional.of(code), new FeedbackMessage("closed", "failure", null,
                    List.of(code.name() + ": details")).reportedRejection());
            assertEquals(Optional.of(code), new FeedbackMessage("closed", "failure", null, List.of(code.name()))
                    .reportedRejection());
        }
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "failure", null, List.of("INSTALL_FAILED: x"))
                .reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "failure", null, List.of("MALFORMEDX: x"))
                .reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "failure", null, List.of(" MALFORMED: x"))
                .reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "failure", null, List.of("ok", "MALFORMED: x"))
                .reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "failure", null, List.of()).reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("closed", "success", null, List.of("MALFORMED: x"))
                .reportedRejection());
        assertEquals(Optional.empty(), new FeedbackMessage("proceeding", "failure", null, List.of("MALFORMED: x"))
                .reportedRejection());
    }
}
