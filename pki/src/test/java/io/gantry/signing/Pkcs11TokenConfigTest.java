package io.gantry.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token config file: a module, one slot selector, a PIN file; never a PIN. */
class Pkcs11TokenConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsSlotAndResolvesThePinFileBesideTheConfig() throws Exception {
        Pkcs11TokenConfig c = Pkcs11TokenConfig.load(write("library = /lib/p11.so\nslot = 42\npinFile = t.pin\n"));
        assertEquals("/lib/p11.so", c.library());
        assertEquals(42, c.slot());
        assertEquals(-1, c.slotListIndex());
        assertEquals(dir.resolve("t.pin").toAbsolutePath(), c.pinFile());
    }

    @Test
    void refusesAPinValue() throws Exception {
        assertRefused("library = /lib/p11.so\nslot = 1\npinFile = t.pin\npin = 1234\n", "does not belong");
    }

    @Test
    void refusesUnknownSettings() throws Exception {
        assertRefused("library = /lib/p11.so\nslot = 1\npinFile = t.pin\ntokenLabel = x\n", "unknown setting 'tokenLabel'");
    }

    @Test
    void refusesBothOrNoSlotSelector() throws Exception {
        assertRefused("library = /lib/p11.so\nslot = 1\nslotListIndex = 0\npinFile = t.pin\n", "exactly one");
        assertRefused("library = /lib/p11.so\npinFile = t.pin\n", "exactly one");
    }

    @Test
    void refusesAMissingPinFileSetting() throws Exception {
        assertRefused("library = /lib/p11.so\nslot = 1\n", "pinFile is not set");
    }

    @Test
    void refusesANegativeSlot() throws Exception {
        assertRefused("library = /lib/p11.so\nslot = -3\npinFile = t.pin\n", "non-negative integer");
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("token.properties"), text);
    }

    private void assertRefused(String text, String reason) throws Exception {
        Path f = write(text);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Pkcs11TokenConfig.load(f));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
