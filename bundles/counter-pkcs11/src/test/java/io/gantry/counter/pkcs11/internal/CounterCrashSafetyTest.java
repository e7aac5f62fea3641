package io.gantry.counter.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.testing.SoftHsmTestTokens;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.PKCS11Token;

/**
 * The two-object update: an advance writes the new value object before destroying the old one, so a
 * crash at any point leaves the old or the new value. The crashes are replayed by doing only the
 * steps before them, directly on the token.
 */
class CounterCrashSafetyTest {
    @TempDir
    Path dir;
    private PKCS11Token raw;
    private CounterObjects objects;
    private Pkcs11MonotonicCounter counter;

    @BeforeEach
    void login() throws Exception {
        char[] pin = PinFiles.read(SoftHsmTestTokens.pinFile());
        raw = new PKCS11Token(TokenSlots.open(SoftHsmTestTokens.LIBRARY, -1, SoftHsmTestTokens.MAIN), false, pin);
        Arrays.fill(pin, '\0');
        objects = new CounterObjects(raw);
    }

    @AfterEach
    void close() {
        if (counter != null) {
            counter.close();
        }
        raw.closeAllSessions();
    }

    private Pkcs11MonotonicCounter restart() throws Exception {
        if (counter != null) {
            counter.close();
        }
        counter = new Pkcs11MonotonicCounter(CounterConfigs.token(SoftHsmTestTokens.MAIN).build(), dir.resolve("store.id"));
        return counter;
    }

    @Test
    void crashBeforeTheNewObjectLeavesTheOldValue() throws Exception {
        restart().advance("crash:before", 3);
        // The advance to 4 died before C_CreateObject: nothing on the token changed.
        assertEquals(3, restart().read("crash:before"));
        assertEquals(1, objects.entries("crash:before").size());
    }

    @Test
    void crashBetweenCreateAndDestroyReadsTheNewValue() throws Exception {
        restart().advance("crash:between", 3);
        objects.create("crash:between", 4); // the advance to 4 died before destroying the object holding 3
        assertEquals(2, objects.entries("crash:between").size());
        Pkcs11MonotonicCounter again = restart();
        assertEquals(4, again.read("crash:between"));
        again.advance("crash:between", 4); // equal: no change of value, the stale object goes
        assertEquals(4, again.read("crash:between"));
        assertEquals(1, objects.entries("crash:between").size());
        again.advance("crash:between", 6);
        assertEquals(6, restart().read("crash:between"));
        assertEquals(1, objects.entries("crash:between").size());
    }

    @Test
    void aLowerObjectAddedBesideCannotLowerTheCounter() throws Exception {
        restart().advance("crash:planted", 9);
        objects.create("crash:planted", 1);
        assertEquals(9, restart().read("crash:planted"));
    }

    @Test
    void advanceAfterACrashRemovesEveryOlderObject() throws Exception {
        objects.create("crash:many", 2);
        objects.create("crash:many", 5);
        objects.create("crash:many", 3);
        Pkcs11MonotonicCounter c = restart();
        assertEquals(5, c.read("crash:many"));
        c.advance("crash:many", 8);
        assertEquals(8, c.read("crash:many"));
        assertEquals(1, objects.entries("crash:many").size());
    }
}
