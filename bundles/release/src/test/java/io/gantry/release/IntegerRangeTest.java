package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.verify.MalformedReleaseException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Integers in the signed documents are range-checked on the JSON number itself: a value that
 * only fits after a narrowing cast (4294967298 read as the int 2) or a negative count is refused,
 * so a root signed with a "large" threshold can never act as a low one.
 */
class IntegerRangeTest {
    private final TrustFixture fixture;

    IntegerRangeTest() throws Exception {
        fixture = new TrustFixture();
    }

    private String rootJson() {
        return new String(TrustRootJson.write(fixture.root()), StandardCharsets.UTF_8);
    }

    private static MalformedReleaseException refused(String json) {
        return assertThrows(MalformedReleaseException.class, () -> TrustRootJson.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsThresholdThatWrapsToASmallInt() {
        String json = rootJson();
        assertTrue(json.contains("\"threshold\":2"), json);
        // 2^32 + 2: a (int) cast reads 2, the two-person rule would stand for "4 billion signers" yet pass with two.
        MalformedReleaseException e = refused(json.replaceFirst("\"threshold\":2", "\"threshold\":4294967298"));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }

    /** Zero parses, and is then refused as THRESHOLD_TOO_LOW by the rotation rules (TrustRootRotationTest). */
    @Test
    void rejectsNegativeThresholds() {
        refused(rootJson().replaceFirst("\"threshold\":2", "\"threshold\":-2"));
    }

    @Test
    void rejectsMajorVersionOutsideIntRange() {
        String json = rootJson();
        assertTrue(json.contains("\"major\":1"), json);
        refused(json.replaceFirst("\"major\":1", "\"major\":4294967297"));
        refused(json.replaceFirst("\"major\":1", "\"major\":-1"));
    }

    @Test
    void rejectsTrustRootVersionBelowOneAndBeyondLong() {
        String json = rootJson();
        assertTrue(json.contains("\"version\":1"), json);
        refused(json.replaceFirst("\"version\":1", "\"version\":0"));
        refused(json.replaceFirst("\"version\":1", "\"version\":18446744073709551617"));
    }

    @Test
    void acceptsTheUnmodifiedRoot() throws Exception {
        assertEquals(fixture.root(), TrustRootJson.parse(rootJson().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsNegativeSecurityCounterAndPayloadSize() throws Exception {
        String json = new String(MetadataJson.write(TrustFixture.metadata("n", "1.0.0", io.gantry.api.release.ReleaseKind.FIRMWARE,
                "acme-sensor")), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"securityCounter\":1") && json.contains("\"size\":1"), json);
        assertThrows(MalformedReleaseException.class, () -> MetadataJson.parse(
                json.replace("\"securityCounter\":1", "\"securityCounter\":-1").getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedReleaseException.class, () -> MetadataJson.parse(
                json.replace("\"size\":1", "\"size\":-1").getBytes(StandardCharsets.UTF_8)));
    }
}
