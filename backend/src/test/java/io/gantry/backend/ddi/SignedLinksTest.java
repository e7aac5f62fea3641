package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.DownloadOffload;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed link format of docs/distribution.md, against a vector computed with openssl as the page shows. */
class SignedLinksTest {
    static final String SHA = "a".repeat(64);
    @TempDir
    Path dir;

    private DownloadOffload offload(String base, String secret) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, secret);
        return new DownloadOffload(URI.create(base), file, Duration.ofMinutes(30));
    }

    @Test
    void signatureMatchesTheDocumentedOpensslComputation() throws Exception {
        SignedLinks links = new SignedLinks(offload("https://cdn.example/artifacts", "  0123456789abcdef0123456789abcdef\n"));
        // printf 'gantry-link-v1\n%s\n%s\n%s' gw-1 aaa…a 1800000000 | openssl dgst -sha256 -hmac "$secret" -binary | basenc --base64url | tr -d '='
        assertEquals("__4-zApouRdAl1gaj523zadyaOfExZl_y1yv_pnJkiQ", links.signature("gw-1", SHA, 1_800_000_000L));
    }

    @Test
    void aLinkNamesDeviceArtifactAndExpiryThirtyMinutesOn() throws Exception {
        SignedLinks links = new SignedLinks(offload("https://cdn.example/artifacts/", "0123456789abcdef0123456789abcdef"));
        Instant now = Instant.ofEpochSecond(1_800_000_000L - 1800).plusMillis(400);
        SignedLinks.Link link = links.link("gw-1", SHA, now).orElseThrow();
        assertEquals("https://cdn.example/artifacts/" + SHA + "?device=gw-1&expires=1800000000&signature="
                + "__4-zApouRdAl1gaj523zadyaOfExZl_y1yv_pnJkiQ", link.uri().toString());
        assertEquals(Instant.ofEpochSecond(1_800_000_000L), link.expires());
        assertTrue(links.valid("gw-1", SHA, 1_800_000_000L, "__4-zApouRdAl1gaj523zadyaOfExZl_y1yv_pnJkiQ", now));
        assertFalse(links.valid("gw-2", SHA, 1_800_000_000L, "__4-zApouRdAl1gaj523zadyaOfExZl_y1yv_pnJkiQ", now), "other device");
        assertFalse(links.valid("gw-1", SHA, 1_800_000_000L, "__4-zApouRdAl1gaj523zadyaOfExZl_y1yv_pnJkiQ",
                Instant.ofEpochSecond(1_800_000_000L)), "expired");
        assertTrue(links.link("gw 1", SHA, now).isEmpty(), "an id that would need percent-encoding is served by the backend");
        assertTrue(links.link("gw-1", "not-a-digest", now).isEmpty());
    }

    @Test
    void offloadConfigurationIsCheckedAtStart() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> offload("http://cdn.example/a", "0123456789abcdef0123456789abcdef").validate(),
                "plain http");
        assertThrows(IllegalArgumentException.class, () -> offload("https://cdn.example/a?x=1", "0123456789abcdef0123456789abcdef")
                .validate(), "a query");
        assertThrows(IllegalArgumentException.class, () -> offload("https://cdn.example/a", "short").validate(), "short secret");
        assertThrows(IllegalArgumentException.class, () -> new DownloadOffload(URI.create("https://cdn.example/a"),
                dir.resolve("missing"), Duration.ofMinutes(30)).validate(), "no secret file");
        assertThrows(IllegalArgumentException.class, () -> new DownloadOffload(URI.create("https://cdn.example/a"),
                dir.resolve("missing"), Duration.ZERO).validate(), "no lifetime");
        offload("https://cdn.example/a", "0123456789abcdef0123456789abcdef").validate();
    }
}
