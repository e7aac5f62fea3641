package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.BackendSettings;
import io.gantry.backend.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry backend}: one flag per setting, and bad values stop it before anything listens (exit 2, the setting named). */
class BackendCommandTest {
    @TempDir
    Path tmp;

    @Test
    void everySettingIsAFlag() {
        CommandSpec backend = GantryCli.commandLine().getSubcommands().get("backend").getCommandSpec();
        for (Setting s : BackendSettings.ALL) {
            assertNotNull(backend.findOption(s.flag()), "no flag " + s.flag());
        }
        assertNotNull(backend.findOption("--config"));
        assertNotNull(backend.findOption("--trust"), "the old spelling of --trust-root still works");
    }

    @Test
    void aMalformedFlagIsAUsageError() {
        String[] r = run("backend", "--data", "d", "--pki", "p", "--trust-root", "t", "--port", "eighty");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--port") && r[1].contains("'eighty' is not a whole number"), r[1]);
        r = run("backend", "--data", "d", "--pki", "p", "--trust-root", "t", "--polling-interval", "0s");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--polling-interval"), r[1]);
    }

    @Test
    void aBadConfigurationFileStopsTheStartNamingTheSetting() throws Exception {
        Path file = tmp.resolve("backend.properties");
        Files.writeString(file, "data = " + tmp.resolve("data") + "\nprot = 8443\n");
        String[] r = run("backend", "--config", file.toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("unknown setting 'prot' in " + file), r[1]);
        Files.writeString(file, "data = " + tmp.resolve("data") + "\npki = " + tmp.resolve("pki") + "\n");
        r = run("backend", "--config", file.toString(), "--trust-root", "t.json");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("setting pki (" + file + "): folder not found"), r[1]);
        r = run("backend", "--pki", tmp.toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("setting data is required"), r[1]);
    }

    /** @return {exit code, stderr} */
    static String[] run(String... args) {
        CommandLine cli = GantryCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int rc = cli.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }
}
