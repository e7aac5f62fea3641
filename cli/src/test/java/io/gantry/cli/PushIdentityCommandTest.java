package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gantry.pki.PkiDirectory;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry pki push-identity} issues the backend's identity for an external MQTT broker (docs/mqtt.md). */
class PushIdentityCommandTest {
    @TempDir
    Path tmp;

    @Test
    void issuesBackendColonNameUnderBackendAndRefusesToReplaceIt() throws Exception {
        Path dir = tmp.resolve("pki");
        assertEquals(0, GantryCli.commandLine().execute("pki", "init", "--dir", dir.toString()));
        assertEquals(0, GantryCli.commandLine().execute("pki", "push-identity", "--dir", dir.toString()));
        PkiDirectory pki = PkiDirectory.open(dir, Clock.systemUTC());
        assertEquals("CN=backend:gantry-push,OU=backend,O=Gantry",
                pki.loadPushIdentity("gantry-push").chain().get(0).getSubjectX500Principal().getName());
        assertNotEquals(0, GantryCli.commandLine().execute("pki", "push-identity", "--dir", dir.toString()),
                "an existing push identity is not replaced");
        assertEquals(0, GantryCli.commandLine().execute("pki", "push-identity", "--dir", dir.toString(), "--name", "push-2"));
    }
}
