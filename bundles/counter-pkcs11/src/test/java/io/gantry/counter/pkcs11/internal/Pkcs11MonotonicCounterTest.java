package io.gantry.counter.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters on a SoftHSM2 token: values, monotonicity, persistence across instances. */
class Pkcs11MonotonicCounterTest {
    @TempDir
    Path dir;
    private Pkcs11MonotonicCounter counter;

    @AfterEach
    void close() {
        if (counter != null) {
            counter.close();
        }
    }

    private Pkcs11MonotonicCounter open(TestConfigs<Pkcs11CounterConfig> config) throws Exception {
        close();
        counter = new Pkcs11MonotonicCounter(config.build(), dir.resolve("store.id"));
        return counter;
    }

    @Test
    void neverAdvancedCounterIsZeroAndAdvanceIsDurable() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.MAIN));
        assertEquals(0, c.read("fresh:never-set"));
        c.advance("fresh:fw", 7);
        assertEquals(7, c.read("fresh:fw"));
        c.advance("fresh:fw", 1_700_000_000L);
        assertEquals(1_700_000_000L, c.read("fresh:fw"));
    }

    @Test
    void valuesSurviveARestart() throws Exception {
        open(CounterConfigs.token(SoftHsmTestTokens.MAIN)).advance("restart:counter:firmware:acme-sensor:fw", 12);
        Pkcs11MonotonicCounter again = open(CounterConfigs.token(SoftHsmTestTokens.MAIN));
        assertEquals(12, again.read("restart:counter:firmware:acme-sensor:fw"));
        assertEquals(0, again.read("restart:other"));
    }

    @Test
    void valuesStayOnTheTokenWhenTheGatewayStorageIsRestored() throws Exception {
        // An attacker restores a gateway image taken before the install: the local file is gone (or
        // old), the token still holds the counter and the store marker.
        open(CounterConfigs.token(SoftHsmTestTokens.MAIN)).advance("restore:counter", 5);
        close();
        counter = new Pkcs11MonotonicCounter(CounterConfigs.token(SoftHsmTestTokens.MAIN).build(),
                dir.resolve("restored-image").resolve("store.id"));
        assertEquals(5, counter.read("restore:counter"));
    }

    @Test
    void neverDecreases() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.MAIN));
        c.advance("down:x", 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.advance("down:x", 4));
        assertTrue(e.getMessage().contains("is 5"), e.getMessage());
        c.advance("down:x", 5);
        assertEquals(5, open(CounterConfigs.token(SoftHsmTestTokens.MAIN)).read("down:x"));
        assertThrows(IllegalArgumentException.class, () -> counter.advance("down:never-set", -1));
    }

    @Test
    void slotIdSelectsTheSameToken() throws Exception {
        open(CounterConfigs.token(SoftHsmTestTokens.MAIN)).advance("slot:x", 3);
        Pkcs11MonotonicCounter bySlot = open(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("tokenLabel", "")
                .with("slot", SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN)));
        assertEquals(3, bySlot.read("slot:x"));
    }

    @Test
    void mechanismNamesTheToken() throws Exception {
        String mechanism = open(CounterConfigs.token(SoftHsmTestTokens.MAIN)).mechanism();
        assertTrue(mechanism.startsWith("PKCS#11 token objects on token '" + SoftHsmTestTokens.MAIN + "' (SoftHSM project"), mechanism);
        assertTrue(mechanism.endsWith("hardware monotonic counter: none"), mechanism);
    }

    @Test
    void countersAreSeparate() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.MAIN));
        c.advance("sep:a", 10);
        c.advance("sep:b", 2);
        assertEquals(10, c.read("sep:a"));
        assertEquals(2, c.read("sep:b"));
    }

    @Test
    void aCounterNameIsNotAPattern() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.MAIN));
        c.advance("prefix:abc", 9);
        assertEquals(0, c.read("prefix:ab"));
        assertEquals(0, c.read("prefix:*"));
    }

    static void assertRefused(IOException e, String reason) {
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
