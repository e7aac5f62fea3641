package io.gantry.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line (installed by scripts/install-test-deps.sh) and returns stdout+stderr. */
final class OpenSsl {
    private OpenSsl() {
    }

    record Result(int exit, String output) {
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(args)).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
