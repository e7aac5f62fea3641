package io.gantry.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven by Debian's chromium-driver, presenting an operator's client
 * certificate the way a desktop browser does: the certificate and key sit in an NSS database under
 * a private {@code HOME} ({@code ~/.pki/nssdb}, filled with {@code pk12util}, the root CA trusted
 * with {@code certutil}), and the policy {@code AutoSelectCertificateForUrls} picks it for the
 * backend's origin without a dialog. Chromium on Linux reads policies only from
 * {@code /etc/chromium/policies}; instead of writing there, each chromium runs in its own mount
 * namespace ({@code unshare --mount --map-root-user}) where a private folder is bound over
 * {@code /etc/chromium}. Nothing outside the test's folder changes.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * @param dir a private folder for HOME, the profile, the policy and the wrapper
     * @param origin the backend origin, e.g. {@code https://127.0.0.1:8443}
     * @param operatorP12 the operator's PKCS#12 file; its password in {@code <file>.pass}
     * @param rootCaPem the root CA that issued the backend's server certificate
     * @return a started driver; quit it when done
     */
    static ChromeDriver start(Path dir, String origin, Path operatorP12, Path rootCaPem) throws Exception {
        for (Path tool : List.of(CHROMIUM, DRIVER)) {
            if (!Files.isExecutable(tool)) {
                throw new IllegalStateException(tool + " is missing: run scripts/install-test-deps.sh (chromium, chromium-driver)");
            }
        }
        dir = dir.toAbsolutePath();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path nss = Files.createDirectories(home.resolve(".pki/nssdb"));
        String db = "sql:" + nss;
        run(List.of("certutil", "-N", "-d", db, "--empty-password"));
        String password = Files.readString(Path.of(operatorP12 + ".pass")).trim();
        run(List.of("pk12util", "-i", operatorP12.toString(), "-d", db, "-W", password));
        run(List.of("certutil", "-A", "-d", db, "-n", "gantry-root", "-t", "C,,", "-i", rootCaPem.toString()));

        Path etc = dir.resolve("etc-chromium");
        Path policies = Files.createDirectories(etc.resolve("policies/managed"));
        String rule = "{\"pattern\":\"" + origin + "\",\"filter\":{}}";
        Files.writeString(policies.resolve("gantry-test.json"), "{\"AutoSelectCertificateForUrls\":["
                + BackendFixture.JSON.writeValueAsString(rule) + "]}");
        Path wrapper = dir.resolve("chromium-with-policy.sh");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "# chromium with " + etc + " bound over /etc/chromium, in a private mount namespace\n"
                + "exec unshare --mount --map-root-user sh -c 'mount --bind \"$0\" /etc/chromium && exec "
                + CHROMIUM + " \"$@\"' '" + etc + "' \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(wrapper.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("profile"), "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--enable-logging=stderr", "--v=0");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("HOME", home.toString()))
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .withVerbose(true)
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    static void clear(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
