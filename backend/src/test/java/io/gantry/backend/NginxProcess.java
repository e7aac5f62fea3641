package io.gantry.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx (with libnginx-mod-http-js) run by a test in its own folder on loopback, with the
 * server block of docs/offload/gantry-offload.conf, its production paths replaced by the test's.
 * nginx daemonises once its sockets are bound, so the port accepts connections when {@link #start}
 * returns; {@link #close} ends the master by the pid it wrote.
 */
final class NginxProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nginx");
    static final Path JS_MODULE = Path.of("/usr/lib/nginx/modules/ngx_http_js_module.so");
    private final Path dir;

    private NginxProcess(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dir the test's nginx folder (configuration, logs, pid, temp files)
     * @param documented the documented server configuration
     * @param replacements production path or value -> the test's; each must occur in {@code documented}
     */
    static NginxProcess start(Path dir, Path documented, Map<String, String> replacements) throws Exception {
        String server = Files.readString(documented);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!server.contains(r.getKey())) {
                throw new AssertionError(documented + " no longer contains " + r.getKey());
            }
            server = server.replace(r.getKey(), r.getValue());
        }
        Files.writeString(dir.resolve("gantry-offload.conf"), server);
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        Files.writeString(dir.resolve("nginx.conf"), "load_module " + JS_MODULE + ";\n" + user
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  client_body_temp_path " + dir.resolve("tmp") + ";\n"
                + "  proxy_temp_path " + dir.resolve("tmp") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  scgi_temp_path " + dir.resolve("tmp") + ";\n"
                + "  include " + dir.resolve("gantry-offload.conf") + ";\n"
                + "}\n");
        Files.createDirectories(dir.resolve("tmp"));
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nginx did not start: " + output + errorLog(dir));
        }
        return new NginxProcess(dir);
    }

    /** @return the lines of the access log named {@code name} in the nginx folder */
    List<String> log(String name) throws IOException {
        Path log = dir.resolve(name);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static String errorLog(Path dir) throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? "\n" + Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        Path pidFile = dir.resolve("nginx.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        ProcessHandle master = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElse(null);
        if (master != null) {
            master.destroy();
            master.onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
