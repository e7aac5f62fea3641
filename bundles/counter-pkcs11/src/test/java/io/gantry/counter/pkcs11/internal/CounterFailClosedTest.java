package io.gantry.counter.pkcs11.internal;

import static io.gantry.counter.pkcs11.internal.Pkcs11MonotonicCounterTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Token;

/** A token that is missing, refuses the login, or lost or swapped its store is an error, never 0. */
class CounterFailClosedTest {
    @TempDir
    Path dir;

    private Pkcs11MonotonicCounter open(TestConfigs<Pkcs11CounterConfig> config, Path storeFile) throws Exception {
        return new Pkcs11MonotonicCounter(config.build(), storeFile);
    }

    private IOException refused(TestConfigs<Pkcs11CounterConfig> config) {
        return assertThrows(IOException.class, () -> open(config, dir.resolve("store.id")));
    }

    @Test
    void refusesAMissingModule() throws Exception {
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("library", "/nonexistent/libp11.so")),
                "PKCS#11 module not found");
    }

    @Test
    void refusesAnAbsentToken() throws Exception {
        assertRefused(refused(CounterConfigs.token("no-such-token")), "no token labelled 'no-such-token'");
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("tokenLabel", "").with("slot", 424242L)),
                "no token in slot 424242");
    }

    @Test
    void refusesBothOrNeitherSelector() throws Exception {
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("slot", 1L)), "set exactly one");
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("tokenLabel", "")), "set exactly one");
    }

    @Test
    void refusesAWrongPin() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.pin"), "not-the-pin\n");
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.OTHER).with("pinFile", wrong.toString())),
                "CKR_PIN_INCORRECT");
    }

    @Test
    void refusesAnUnsetPinFile() throws Exception {
        assertRefused(refused(CounterConfigs.token(SoftHsmTestTokens.MAIN).with("pinFile", null)), "pinFile is not set");
    }

    @Test
    void refusesATokenWithoutTheRecordedStore() throws Exception {
        // The gateway recorded a store, but the token in the slot has none: wiped or re-initialised.
        wipeStoreMarker(SoftHsmTestTokens.OTHER);
        Path recorded = Files.writeString(dir.resolve("store.id"), "00112233445566778899aabbccddeeff\n");
        IOException e = assertThrows(IOException.class, () -> open(CounterConfigs.token(SoftHsmTestTokens.OTHER), recorded));
        assertRefused(e, "missing from the token");
    }

    @Test
    void refusesAnotherTokensStore() throws Exception {
        open(CounterConfigs.token(SoftHsmTestTokens.OTHER), dir.resolve("other.id")).close();
        Path file = dir.resolve("store.id");
        open(CounterConfigs.token(SoftHsmTestTokens.MAIN), file).close();
        IOException e = assertThrows(IOException.class, () -> open(CounterConfigs.token(SoftHsmTestTokens.OTHER), file));
        assertRefused(e, "another counter store");
    }

    @Test
    void aTokenThatGoesAwayFailsReadsAndAdvancesInsteadOfReadingZero() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.DOOMED), dir.resolve("store.id"));
        try {
            c.advance("gone:counter", 42);
            assertEquals(42, c.read("gone:counter"));
            SoftHsmTestTokens.deleteToken(SoftHsmTestTokens.DOOMED);
            assertThrows(IOException.class, () -> c.read("gone:counter"));
            assertThrows(IOException.class, () -> c.read("gone:never-set"));
            assertThrows(IOException.class, () -> c.advance("gone:counter", 43));
        } finally {
            c.close();
        }
    }

    @Test
    void aCorruptValueObjectIsAnErrorNotZero() throws Exception {
        Pkcs11MonotonicCounter c = open(CounterConfigs.token(SoftHsmTestTokens.MAIN), dir.resolve("store.id"));
        PKCS11Token raw = login(SoftHsmTestTokens.MAIN);
        try {
            raw.createObject(dataObject(CounterObjects.COUNTER_APP).label("corrupt:x").value(new byte[] {1, 2, 3}));
            assertRefused(assertThrows(IOException.class, () -> c.read("corrupt:x")), "holds 3 bytes");
        } finally {
            raw.closeAllSessions();
            c.close();
        }
    }

    private static PKCS11Token login(String label) throws Exception {
        char[] pin = PinFiles.read(SoftHsmTestTokens.pinFile());
        try {
            return new PKCS11Token(TokenSlots.open(SoftHsmTestTokens.LIBRARY, -1, label), false, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static AttributeVector dataObject(String application) {
        return new AttributeVector().class_(PKCS11Constants.CKO_DATA).token(true).private_(true).application(application);
    }

    /** What re-initialising the token does to the store, with the token otherwise still in place. */
    private static void wipeStoreMarker(String label) throws Exception {
        PKCS11Token raw = login(label);
        try {
            raw.destroyObjects(raw.findAllObjects(dataObject(CounterObjects.STORE_APP)));
        } finally {
            raw.closeAllSessions();
        }
    }
}
