package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.console.ConsoleResource;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless chromium that logs in with the operator's client certificate
 * over mutual TLS ({@link HeadlessChromium}): every page renders from the live management API, a
 * device attribute carrying script stays text, a rollout is paused from the page, the download
 * log's chain is verified from the page. Screenshots of each page go to
 * {@code target/console-screenshots/} for review (docs/console.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target/console-screenshots");
    static final String XSS = "<script>window.__gantryXss=1</script><img src=x onerror=\"window.__gantryXss=2\">";
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;
    static ChromeDriver browser;
    static long rolloutId;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp.resolve("backend"));
        operator = backend.operator("alice");
        fleet();
        String origin = "https://127.0.0.1:" + backend.server.port();
        // Under target/, not the temporary folder: chromedriver.log stays for a failed run.
        Path browserDir = Path.of("target/console-browser");
        HeadlessChromium.clear(browserDir);
        browser = HeadlessChromium.start(browserDir, origin, backend.pki.operatorKeyStore("alice"),
                backend.pki.rootCaPem());
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        backend.close();
    }

    /** Two gateways with devices behind one, a script-carrying attribute, a finished action and a running rollout. */
    private static void fleet() throws Exception {
        HttpClient gw = backend.device("gw-north-1");
        long[] first = backend.uploadAndAssign(operator, backend.good("acme-fw", "1.1.0",
                Map.of("sensor.img", TestReleases.payloadBytes("acme", 64))), "gw-north-1");
        URI fb = URI.create(backend.controller("gw-north-1") + "/deploymentBase/" + first[1] + "/feedback");
        assertEquals(200, postJson(gw, fb, "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"},"
                + "\"details\":[\"device=sensor-1 type=acme-sensor result=UPDATED version=1.1.0 release=1.1.0 ; 1.0.0 -> 1.1.0\","
                + "\"device=sensor-2 type=acme-sensor result=UPDATED version=1.1.0 release=1.1.0\"]}}").statusCode());
        String attributes = BackendFixture.JSON.createObjectNode().put("mode", "merge").set("data",
                BackendFixture.JSON.createObjectNode().put("site", "north").put("deviceType", "gw").put("label", XSS)).toString();
        assertEquals(200, gw.send(HttpRequest.newBuilder(URI.create(backend.controller("gw-north-1") + "/configData"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(attributes)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpClient south = backend.device("gw-south-1");
        assertEquals(200, get(south, backend.controller("gw-south-1")).statusCode());
        // A gateway whose certificate runs out within the month: the expiry chart's warning window.
        backend.pki.issueDevice("gw-east-1", Duration.ofDays(20));
        assertEquals(200, get(backend.device("gw-east-1"), backend.controller("gw-east-1")).statusCode());
        HttpResponse<String> up = backend.upload(operator, backend.good("acme-fw", "1.2.0",
                Map.of("sensor.img", TestReleases.payloadBytes("acme2", 64))));
        long release = json(up).get("id").asLong();
        for (String id : new String[] {"gw-north-1", "gw-south-1"}) {
            assertEquals(200, postJson(operator, backend.uri("/rest/v1/targets/" + id + "/tags"), "{\"add\":[\"wave\"]}")
                    .statusCode());
        }
        HttpResponse<String> created = postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"spring wave\","
                + "\"releaseId\":" + release + ",\"filter\":{\"tags\":[\"wave\"]},\"canary\":1,\"percentages\":[100]}");
        assertEquals(201, created.statusCode(), created.body());
        rolloutId = json(created).get("id").asLong();
        backend.server.rollouts().tick();
        // A device certificate knocking on the console: refused and audited (shown on the audit page).
        assertEquals(403, get(gw, backend.uri("/console/index.html")).statusCode());
    }

    private static WebElement open(String hash, String page) {
        browser.get(backend.uri("/console/index.html") + "#/" + hash);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.attributeToBe(By.id("page"), "data-page", page));
        wait.until(ExpectedConditions.attributeToBe(By.id("page"), "data-loaded", "true"));
        return browser.findElement(By.id("page"));
    }

    private static void shot(String name) throws Exception {
        Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Order(1)
    void fleetOverviewSignsInWithTheOperatorCertificate() throws Exception {
        WebElement page = open("fleet", "fleet");
        assertTrue(browser.findElement(By.id("who")).getText().startsWith("alice (viewer, operator, release-manager, security-officer;"), browser.findElement(By.id("who")).getText());
        assertTrue(page.findElement(By.id("health")).getText().contains("rollouts running"), page.getText());
        String devices = get(operator, backend.uri("/rest/v1/targets?size=1")).headers().firstValue("X-Total-Count").orElseThrow();
        assertEquals(devices, page.findElement(By.cssSelector(".pager")).getAttribute("data-total"), page.getText());
        shot("01-fleet");
    }

    @Test
    @Order(2)
    void deviceDetailShowsDeviceTextAsTextAndRunsNoScript() throws Exception {
        WebElement page = open("device/gw-north-1", "device");
        String text = page.getText();
        assertTrue(text.contains(XSS), "the attribute is shown verbatim: " + text);
        assertTrue(text.contains("sensor-2") && text.contains("1.1.0"), text);
        assertTrue(text.contains("CN=gw-north-1"), "the device's certificate is listed: " + text);
        assertTrue(text.contains("success"), "the action history is listed: " + text);
        assertNull(browser.executeScript("return window.__gantryXss === undefined ? null : window.__gantryXss"),
                "device-supplied markup must never run");
        assertTrue(page.findElements(By.tagName("script")).isEmpty());
        assertTrue(page.findElements(By.tagName("img")).isEmpty());
        shot("02-device");
    }

    @Test
    @Order(3)
    void releasesAreListed() throws Exception {
        assertTrue(open("releases", "releases").getText().contains("1.2.0"));
        shot("03-releases");
    }

    @Test
    @Order(4)
    void aRolloutIsPausedFromItsPage() throws Exception {
        WebElement page = open("rollouts", "rollouts");
        assertFalse(page.findElements(By.cssSelector("svg.chart rect")).isEmpty(), "the progress chart is drawn");
        shot("04-rollouts");
        page.findElement(By.cssSelector("button[data-op=pause][data-rollout='" + rolloutId + "']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("page")).getText().contains("PAUSED"));
        assertEquals("PAUSED", json(get(operator, backend.uri("/rest/v1/rollouts/" + rolloutId))).get("state").asText());
        shot("05-rollouts-paused");
    }

    @Test
    @Order(5)
    void certificateExpiryIsCharted() throws Exception {
        WebElement page = open("certificates", "certificates");
        assertFalse(page.findElements(By.cssSelector("svg.chart rect")).isEmpty());
        assertTrue(page.getText().contains("CN=gw-south-1"), page.getText());
        assertTrue(page.getText().startsWith("Certificate expiry"), page.getText());
        String soonest = page.findElement(By.cssSelector("tbody tr")).getText();
        assertTrue(soonest.startsWith("CN=gw-east-1"), "the 20-day certificate is the first to expire: " + soonest);
        shot("06-certificates");
    }

    @Test
    @Order(6)
    void alertsPageAnswersFromTheBackendOrSaysItCannot() throws Exception {
        WebElement page = open("alerts", "alerts");
        int served = get(operator, backend.uri("/rest/v1/alerts")).statusCode();
        if (served == 404) {
            assertEquals("GET /rest/v1/alerts", page.findElement(By.cssSelector("[data-unavailable]")).getAttribute("data-unavailable"));
        } else {
            assertTrue(page.findElements(By.cssSelector("[data-unavailable]")).isEmpty(), page.getText());
        }
        shot("07-alerts");
    }

    @Test
    @Order(7)
    void auditShowsTheRefusedDeviceOnTheConsole() throws Exception {
        WebElement page = open("audit", "audit");
        assertTrue(page.getText().contains("WRONG_ROLE"), page.getText());
        assertTrue(page.getText().contains("the console is for operator certificates"), page.getText());
        assertEquals(get(operator, backend.uri("/rest/v1/security-events?size=1")).headers().firstValue("X-Total-Count").orElseThrow(),
                page.findElement(By.cssSelector(".pager")).getAttribute("data-total"), "the page says how many events there are in all");
        shot("08-audit");
    }

    @Test
    @Order(8)
    void downloadLogChainIsVerifiedFromThePage() throws Exception {
        WebElement page = open("downloads", "downloads");
        assertTrue(page.findElements(By.cssSelector("[data-unavailable]")).isEmpty(), "the entries are listed: " + page.getText());
        assertEquals(get(operator, backend.uri("/rest/v1/download-log?size=1")).headers().firstValue("X-Total-Count").orElseThrow(),
                page.findElement(By.cssSelector(".pager")).getAttribute("data-total"), page.getText());
        page.findElement(By.id("verify-chain")).click();
        WebElement result = new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> d.findElement(By.cssSelector("#chain-result [data-intact]")));
        assertEquals("true", result.getAttribute("data-intact"), result.getText());
        shot("09-download-log");
    }

    @Test
    @Order(9)
    void everyConsoleAnswerCarriesTheStrictPolicy() throws Exception {
        for (String file : new String[] {"index.html", "console.js", "pages.js", "charts.js", "console.css", "session"}) {
            HttpResponse<String> r = get(operator, backend.uri("/console/" + file));
            assertEquals(200, r.statusCode(), file);
            assertEquals(ConsoleResource.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(""), file);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), file);
        }
        int traversal = get(operator, backend.uri("/console/..%2Fmgmt%2FViews.class")).statusCode();
        assertTrue(traversal == 400 || traversal == 404, "an encoded path is refused (Jetty 400) or unknown (404): " + traversal);
        assertEquals(404, get(operator, backend.uri("/console/ConsoleResource.class")).statusCode());
    }

    @Test
    @Order(10)
    void aForeignPageCannotChangeARolloutWithTheOperatorsCertificate() throws Exception {
        HttpResponse<String> forged = operator.send(HttpRequest.newBuilder(backend.uri("/rest/v1/rollouts/" + rolloutId + "/cancel"))
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode());
        assertEquals("CROSS_SITE_REQUEST", json(forged).get("code").asText());
        assertEquals("PAUSED", json(get(operator, backend.uri("/rest/v1/rollouts/" + rolloutId))).get("state").asText());
    }
}
