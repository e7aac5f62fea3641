package io.gantry.backend.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Download offload (docs/distribution.md): payload links in deploymentBase point at
 * {@code baseUrl}, a reverse proxy or CDN serving the content-addressed artifact files, signed with
 * HMAC-SHA256 over device, artifact and expiry so the proxy checks them without calling the
 * backend.
 *
 * @param baseUrl where payloads are fetched from: an https URL without query or fragment; a link
 *     is {@code baseUrl + "/" + sha256 + "?device=...&expires=...&signature=..."}
 * @param secretFile the shared secret: the file's text, surrounding whitespace removed, is the HMAC
 *     key (at least {@link #MIN_SECRET_CHARS} characters, e.g. {@code openssl rand -hex 32}); the
 *     proxy reads the same file
 * @param linkLifetime how long a link is valid after it is issued
 */
public record DownloadOffload(URI baseUrl, Path secretFile, Duration linkLifetime) {
    /** Default link lifetime: 30 minutes. */
    public static final Duration DEFAULT_LINK_LIFETIME = Duration.ofMinutes(30);
    /** Shortest secret accepted, in characters (32 hex characters are 128 bits). */
    public static final int MIN_SECRET_CHARS = 32;

    /** @throws NullPointerException if a field is null */
    public DownloadOffload {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(linkLifetime, "linkLifetime");
    }

    /** @return an offload to {@code baseUrl} with the secret in {@code secretFile} and the default lifetime */
    public static DownloadOffload of(URI baseUrl, Path secretFile) {
        return new DownloadOffload(baseUrl, secretFile, DEFAULT_LINK_LIFETIME);
    }

    /**
     * Checks the URL, the lifetime and the secret file.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public void validate() {
        require("https".equals(baseUrl.getScheme()) && baseUrl.getHost() != null,
                "offload base URL must be an absolute https URL: " + baseUrl);
        require(baseUrl.getRawQuery() == null && baseUrl.getRawFragment() == null,
                "offload base URL must have no query or fragment: " + baseUrl);
        require(!linkLifetime.isNegative() && !linkLifetime.isZero() && linkLifetime.compareTo(Duration.ofDays(1)) <= 0,
                "offload link lifetime must be positive and at most one day: " + linkLifetime);
        secret();
    }

    /**
     * @return the HMAC key: the secret file's text without surrounding whitespace, as UTF-8
     * @throws IllegalArgumentException if the file is unreadable or the secret too short
     */
    public byte[] secret() {
        String text;
        try {
            text = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("offload secret file unreadable: " + secretFile + " (" + e.getMessage() + ")", e);
        }
        require(text.length() >= MIN_SECRET_CHARS, "offload secret in " + secretFile + " is shorter than "
                + MIN_SECRET_CHARS + " characters");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
