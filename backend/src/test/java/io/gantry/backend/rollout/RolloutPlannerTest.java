package io.gantry.backend.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Groups, success and error thresholds, and the request's validation: pure rules. */
class RolloutPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RolloutSpec spec(String json) throws Exception {
        return RolloutSpecJson.parse(JSON.readTree(json));
    }

    private static List<String> devices(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("dev-%02d", i)).toList();
    }

    @Test
    void canaryThenCumulativePercentages() throws Exception {
        RolloutSpec s = spec("{\"name\":\"r\",\"releaseId\":1,\"canary\":1,\"percentages\":[50,100]}");
        List<RolloutPlanner.PlannedGroup> g = RolloutPlanner.plan(s, devices(10));
        assertEquals(List.of("canary", "50%", "100%"), g.stream().map(RolloutPlanner.PlannedGroup::name).toList());
        assertEquals(List.of(1, 4, 5), g.stream().map(x -> x.members().size()).toList());
        assertEquals(List.of("dev-00"), g.get(0).members());
        assertEquals(2, RolloutPlanner.lateJoinerGroup(s));
    }

    @Test
    void percentagesRoundUpAndStopAtTheLastOne() throws Exception {
        RolloutSpec s = spec("{\"name\":\"r\",\"releaseId\":1,\"percentages\":[10,30]}");
        List<RolloutPlanner.PlannedGroup> g = RolloutPlanner.plan(s, devices(7));
        assertEquals(List.of(1, 2), g.stream().map(x -> x.members().size()).toList(), "ceil(0.7)=1, ceil(2.1)=3 covered");
        assertEquals(List.of(0, 0), RolloutPlanner.plan(s, List.of()).stream().map(x -> x.members().size()).toList());
    }

    @Test
    void aCanaryLargerThanTheFleetTakesEveryone() throws Exception {
        RolloutSpec s = spec("{\"name\":\"r\",\"releaseId\":1,\"canary\":5,\"percentages\":[100]}");
        assertEquals(List.of(2, 0), RolloutPlanner.plan(s, devices(2)).stream().map(x -> x.members().size()).toList());
    }

    @Test
    void successThresholdIgnoresHeldDevices() {
        GroupProgress g = new GroupProgress(0, "50%", GroupState.RUNNING, 10, 2, 0, 2, 6, 0, 0);
        assertTrue(g.reached(75), "6 of 8 eligible = 75%");
        assertFalse(g.reached(76));
        assertTrue(new GroupProgress(1, "100%", GroupState.RUNNING, 0, 0, 0, 0, 0, 0, 0).reached(100), "empty group");
    }

    @Test
    void absoluteErrorThreshold() {
        ErrorThreshold t = new ErrorThreshold(2, 0, 0);
        assertFalse(t.crossed(1, 1));
        assertTrue(t.crossed(2, 2));
    }

    @Test
    void percentErrorThresholdWaitsForItsMinimumSample() {
        ErrorThreshold t = new ErrorThreshold(0, 30, 4);
        assertFalse(t.crossed(3, 3), "100% failed but only 3 closed of a minimum sample of 4");
        assertTrue(t.crossed(2, 4), "50% of 4");
        assertFalse(t.crossed(1, 4), "25% of 4");
        assertTrue(t.crossed(3, 10), "30% of 10: reaching the threshold crosses it");
    }

    @Test
    void invalidRequestsNameTheirField() {
        assertEquals("percentages must rise strictly, each 1..100: [50, 40]", assertThrows(IllegalArgumentException.class,
                () -> spec("{\"name\":\"r\",\"releaseId\":1,\"percentages\":[50,40]}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("{\"name\":\"r\",\"releaseId\":1,\"canary\":1,"
                + "\"errorThreshold\":{\"count\":1,\"percent\":5}}")).getMessage().contains("exactly one"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("{\"name\":\"r\",\"releaseId\":1,\"canary\":1,"
                + "\"sucessThreshold\":90}")).getMessage().startsWith("unknown field sucessThreshold"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("{\"name\":\"r\",\"releaseId\":1,\"canary\":1,"
                + "\"maintenanceWindow\":\"2:00-4:00\"}")).getMessage().contains("HH:MM-HH:MM"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec("{\"name\":\"r\",\"releaseId\":1}"))
                .getMessage().contains("at least one group"));
    }

    @Test
    void theStoredFormReadsBackEqual() throws Exception {
        RolloutSpec s = spec("{\"name\":\"r\",\"releaseId\":3,\"filter\":{\"deviceType\":\"gw\",\"attributes\":{\"site\":\"b\"},"
                + "\"tags\":[\"eu\"]},\"canary\":2,\"percentages\":[25,100],\"successThreshold\":90,"
                + "\"errorThreshold\":{\"percent\":20,\"minSample\":5},\"maxStartsPerMinute\":30,"
                + "\"maintenanceWindow\":\"22:00-04:00\",\"certificateHoldDays\":14,\"type\":\"soft\"}");
        assertEquals(s, RolloutSpecJson.read(RolloutSpecJson.toJson(s).toString()));
    }
}
