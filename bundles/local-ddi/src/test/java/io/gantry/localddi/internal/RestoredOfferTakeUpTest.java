package io.gantry.localddi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway restarted while a device was mid-update: its offer is restored, and the restarted
 * agent takes up the still-open backend action (it read the device's version, then asks for the
 * same release) while the device confirms the restored offer. Whichever comes first, the device's
 * result reaches the take-up exactly once: a confirmation that came first is the take-up's result
 * (nothing offered anew), a take-up that came first adopts the restored offer and gets the
 * confirmation, also across a further restart between the two.
 */
class RestoredOfferTakeUpTest {
    static final String DEVICE = "swu-dev-1";
    @TempDir
    Path dir;
    ArtifactCache cache;
    CachedArtifact artifact;
    final byte[] swu = "a signed .swu image".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void cache() throws Exception {
        cache = new ArtifactCache(dir.resolve("cache"), 1 << 20, 1 << 20, Clock.systemUTC());
        artifact = cache.put(new ArtifactCacheTest.Payload("update.swu", swu), Set.of());
    }

    private DeviceOffers start() throws Exception {
        return start(new OfferRecords(dir.resolve("cache/offers")));
    }

    private DeviceOffers start(OfferRecords records) throws Exception {
        return new DeviceOffers(records, cache);
    }

    /** The agent's take-up of the action: the same release for the same device. */
    private DeviceOffers.Offer takeUp(DeviceOffers offers) {
        return offers.offer(DEVICE, "board-image", "1.0.1", "update.swu", artifact);
    }

    /** The gateway offered the release, the device installed it, the gateway stopped. */
    private long offeredBeforeTheRestart() throws Exception {
        DeviceOffers before = start();
        DeviceOffers.Offer offered = takeUp(before);
        assertTrue(before.feedback(DEVICE, offered.actionId(), "proceeding", "none", List.of("Installation in progress")));
        return offered.actionId();
    }

    private static DeviceUpdateResult done(DeviceOffers.Offer o) throws Exception {
        assertTrue(o.outcome().isDone(), "the take-up has the device's result");
        return o.outcome().get();
    }

    @Test
    void aConfirmationOfTheRestoredOfferBeforeTheTakeUpIsTheTakeUpsResult() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        assertEquals("unknown", after.installedVersion(DEVICE), "what the agent reads before it takes the action up");
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));

        DeviceOffers.Offer taken = takeUp(after);
        DeviceUpdateResult r = done(taken);
        assertEquals(new DeviceUpdateResult(DEVICE, "unknown", "1.0.1", "swupdate"), r);
        assertEquals(action, taken.actionId());
        assertTrue(after.current(DEVICE).isEmpty(), "not offered anew to a device that finished");
        assertTrue(start().current(DEVICE).isEmpty(), "nor after the next restart");
    }

    @Test
    void aFailureReportedOnTheRestoredOfferFailsTheTakeUpAndALaterAttemptOffersAgain() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        assertTrue(after.feedback(DEVICE, action, "closed", "failure", List.of("Image invalid or corrupted")));

        DeviceOffers.Offer taken = takeUp(after);
        assertTrue(taken.outcome().isDone(), "the take-up has the device's result");
        ExecutionException e = assertThrows(ExecutionException.class, () -> taken.outcome().get());
        DeviceUpdateException d = assertInstanceOf(DeviceUpdateException.class, e.getCause());
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, d.code());
        assertTrue(d.getMessage().contains("Image invalid or corrupted"), d.getMessage());
        assertEquals("unknown", after.installedVersion(DEVICE));
        assertTrue(after.current(DEVICE).isEmpty());

        // The result was taken once: the next attempt of the release offers it again.
        DeviceOffers.Offer retry = takeUp(after);
        assertFalse(retry.outcome().isDone());
        assertSame(retry, after.current(DEVICE).orElseThrow());
    }

    @Test
    void aTakeUpBeforeTheConfirmationAdoptsTheRestoredOffer() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        DeviceOffers.Offer restored = after.current(DEVICE).orElseThrow();

        DeviceOffers.Offer taken = takeUp(after);
        assertSame(restored, taken, "the same action, not a replacement");
        assertFalse(taken.outcome().isDone());
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        assertEquals(new DeviceUpdateResult(DEVICE, "unknown", "1.0.1", "swupdate"), done(taken));
        assertEquals("1.0.1", after.installedVersion(DEVICE));

        DeviceOffers again = start();
        assertTrue(again.current(DEVICE).isEmpty());
        assertFalse(takeUp(again).outcome().isDone(), "a result already taken is not handed out twice");
    }

    @Test
    void aRestartBetweenTheConfirmationAndTheTakeUpKeepsTheResult() throws Exception {
        long action = offeredBeforeTheRestart();
        assertTrue(start().feedback(DEVICE, action, "closed", "success", List.of("Update successful")));

        DeviceOffers restarted = start();
        assertEquals("1.0.1", restarted.installedVersion(DEVICE));
        assertTrue(restarted.current(DEVICE).isEmpty(), "a closed deployment is not offered");
        assertEquals(new DeviceUpdateResult(DEVICE, "unknown", "1.0.1", "swupdate"), done(takeUp(restarted)));
        assertTrue(restarted.current(DEVICE).isEmpty());
    }

    @Test
    void aRestartBetweenAFailureAndTheTakeUpKeepsTheFailure() throws Exception {
        long action = offeredBeforeTheRestart();
        assertTrue(start().feedback(DEVICE, action, "closed", "failure", List.of("bad image")));

        DeviceOffers.Offer taken = takeUp(start());
        assertTrue(taken.outcome().isDone(), "not offered anew");
        ExecutionException e = assertThrows(ExecutionException.class, () -> taken.outcome().get());
        assertEquals(DeviceFailureCode.DEVICE_REJECTED, ((DeviceUpdateException) e.getCause()).code());
    }

    @Test
    void aTakeUpAdoptedThenARestartThenTheConfirmation() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        takeUp(after);
        // The gateway stops again while the take-up waits; the device confirms after that restart.
        DeviceOffers restarted = start();
        assertTrue(restarted.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        assertEquals(new DeviceUpdateResult(DEVICE, "unknown", "1.0.1", "swupdate"), done(takeUp(restarted)));
    }

    @Test
    void aResultOfAnotherReleaseIsNotTakenForThisOne() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        DeviceOffers.Offer other = after.offer(DEVICE, "board-image", "1.0.2", "update.swu", artifact);
        assertFalse(other.outcome().isDone(), "another version is another action: offered");
        assertSame(other, after.current(DEVICE).orElseThrow());
    }

    @Test
    void aTakeUpArrivingWhileTheConfirmationIsRecordedGetsIt() throws Exception {
        long action = offeredBeforeTheRestart();
        AtomicReference<DeviceOffers> offers = new AtomicReference<>();
        CompletableFuture<DeviceOffers.Offer> taken = new CompletableFuture<>();
        AtomicReference<Thread> agent = new AtomicReference<>();
        // The agent's take-up starts while the device's report is being written, and the report
        // goes on as soon as the take-up either finished or waits for the report to end.
        OfferRecords hooked = new OfferRecords(dir.resolve("cache/offers")) {
            @Override
            void storeInstalled(Map<String, String> installed) throws IOException {
                super.storeInstalled(installed);
                if (agent.get() == null) {
                    Thread t = new Thread(() -> taken.complete(takeUp(offers.get())), "agent-take-up");
                    agent.set(t);
                    t.start();
                    while (t.getState() == Thread.State.NEW || t.getState() == Thread.State.RUNNABLE) {
                        Thread.onSpinWait();
                    }
                }
            }
        };
        offers.set(start(hooked));
        assertTrue(offers.get().feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        agent.get().join();

        assertEquals(new DeviceUpdateResult(DEVICE, "unknown", "1.0.1", "swupdate"), done(taken.get()));
        assertTrue(offers.get().current(DEVICE).isEmpty(), "not offered anew to a device that finished");
        assertTrue(start().current(DEVICE).isEmpty(), "nor after the next restart");
    }

    @Test
    void aTakeUpGivingUpLeavesTheOfferToAnotherThatStillWaits() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        DeviceOffers.Offer first = takeUp(after);
        DeviceOffers.Offer second = takeUp(after);
        assertSame(first, second);
        after.withdraw(first);
        assertSame(second, after.current(DEVICE).orElseThrow(), "still on offer while a take-up waits");
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        assertEquals("1.0.1", done(second).newVersion());
        after.withdraw(takeUp(after));
        assertTrue(after.current(DEVICE).isEmpty(), "withdrawn once the last take-up gives up");
    }

    @Test
    void aRepeatedFinalReportOfAResultNotYetTakenIsAcceptedAndChangesNothing() throws Exception {
        long action = offeredBeforeTheRestart();
        DeviceOffers after = start();
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")));
        assertTrue(after.feedback(DEVICE, action, "closed", "success", List.of("Update successful")), "a retried report");
        assertFalse(after.feedback(DEVICE, action, "closed", "failure", List.of("late")), "a different result is refused");
        assertFalse(after.feedback(DEVICE, action + 1, "closed", "success", List.of()), "another action");
        assertEquals("1.0.1", done(takeUp(after)).newVersion());
        assertFalse(after.feedback(DEVICE, action, "closed", "success", List.of()), "taken: the action is gone");
    }
}
