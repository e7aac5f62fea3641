package io.gantry.backend.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What marks a request as sent by a browser on behalf of another site. */
class CrossSiteRequestFilterTest {
    private static final URI BASE = URI.create("https://127.0.0.1:8443/");

    @Test
    void clientsThatSendNoBrowserHeadersPass() {
        assertNull(CrossSiteRequestFilter.crossSite(null, null, BASE));
    }

    @Test
    void theConsoleOnItsOwnOriginPasses() {
        assertNull(CrossSiteRequestFilter.crossSite("same-origin", "https://127.0.0.1:8443", BASE));
        assertNull(CrossSiteRequestFilter.crossSite("none", null, BASE));
    }

    @Test
    void rejectsAForeignSiteEvenOnTheSameHost() {
        assertEquals("Sec-Fetch-Site is cross-site", CrossSiteRequestFilter.crossSite("cross-site", null, BASE));
        assertEquals("Sec-Fetch-Site is same-site", CrossSiteRequestFilter.crossSite("same-site", null, BASE));
    }

    @Test
    void rejectsAForeignOriginWhenTheBrowserSendsNoFetchMetadata() {
        assertEquals("Origin https://evil.example is not https://127.0.0.1:8443",
                CrossSiteRequestFilter.crossSite(null, "https://evil.example", BASE));
        assertEquals("Origin null is not https://127.0.0.1:8443", CrossSiteRequestFilter.crossSite(null, "null", BASE));
        assertEquals("Origin https://127.0.0.1:9443 is not https://127.0.0.1:8443",
                CrossSiteRequestFilter.crossSite(null, "https://127.0.0.1:9443", BASE));
    }
}
