package io.gantry.localddi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.VerifiedPayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCacheTest {
    @TempDir
    Path dir;

    /** A payload whose bytes are the signed ones (the verifier's stream, minus the staging). */
    record Payload(String name, byte[] bytes) implements VerifiedPayload {
        @Override
        public PayloadInfo info() {
            return new PayloadInfo(name, hex("SHA-256", bytes), bytes.length);
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Clock at(long second) {
        return Clock.fixed(Instant.ofEpochSecond(1_800_000_000L + second), ZoneOffset.UTC);
    }

    @Test
    void servesExactlyTheVerifiedBytesWithTheCompatibilityDigests() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir, 1000, 500, at(0));
        byte[] bytes = "a signed swu".getBytes(StandardCharsets.UTF_8);
        CachedArtifact a = cache.put(new Payload("u.swu", bytes), Set.of());
        assertEquals(hex("SHA-1", bytes), a.sha1());
        assertEquals(hex("MD5", bytes), a.md5());
        try (ArtifactCache.Served s = cache.open(a.sha256())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.copyTo(0, out);
            assertArrayEquals(bytes, out.toByteArray());
            out.reset();
            s.copyTo(2, out);
            assertEquals("signed swu", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void bytesChangedOnDiskAreNeverServed() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir, 1000, 500, at(0));
        CachedArtifact a = cache.put(new Payload("u.swu", "good image".getBytes(StandardCharsets.UTF_8)), Set.of());
        Files.writeString(dir.resolve(a.sha256()), "evil image");
        IOException e = assertThrows(IOException.class, () -> cache.open(a.sha256()));
        assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
        // Putting the verified payload again replaces the changed entry.
        cache.put(new Payload("u.swu", "good image".getBytes(StandardCharsets.UTF_8)), Set.of());
        cache.open(a.sha256()).close();
    }

    @Test
    void payloadThatDiffersFromItsSignedDigestIsNotCached() throws Exception {
        ArtifactCache cache = new ArtifactCache(dir, 1000, 500, at(0));
        Payload good = new Payload("u.swu", "good".getBytes(StandardCharsets.UTF_8));
        VerifiedPayload lying = new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return good.info();
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream("evil".getBytes(StandardCharsets.UTF_8));
            }
        };
        assertThrows(IOException.class, () -> cache.put(lying, Set.of()));
        assertFalse(Files.exists(dir.resolve(good.info().sha256())));
    }

    @Test
    void leastRecentlyUsedUnpinnedArtifactsAreEvictedAndLimitsHold() throws Exception {
        byte[] a = new byte[400];
        byte[] b = new byte[400];
        b[0] = 1;
        byte[] c = new byte[400];
        c[0] = 2;
        new ArtifactCache(dir, 1000, 500, at(0)).put(new Payload("a.swu", a), Set.of());
        CachedArtifact pb = new ArtifactCache(dir, 1000, 500, at(1)).put(new Payload("b.swu", b), Set.of());
        String sa = new Payload("a.swu", a).info().sha256();
        // a is older, but on offer: b goes.
        new ArtifactCache(dir, 1000, 500, at(2)).put(new Payload("c.swu", c), Set.of(sa));
        assertTrue(Files.exists(dir.resolve(sa)));
        assertFalse(Files.exists(dir.resolve(pb.sha256())));
        ArtifactCache cache = new ArtifactCache(dir, 1000, 500, at(3));
        assertEquals(800, cache.usedBytes());
        // Both on offer: no room, refused.
        IOException full = assertThrows(IOException.class, () -> cache.put(new Payload("b.swu", b), Set.of(sa,
                new Payload("c.swu", c).info().sha256())));
        assertTrue(full.getMessage().contains("cache full"), full.getMessage());
        IOException big = assertThrows(IOException.class, () -> cache.put(new Payload("big.swu", new byte[501]), Set.of()));
        assertTrue(big.getMessage().contains("per artifact"), big.getMessage());
    }
}
