package io.gantry.backend.ddi;

import io.gantry.backend.config.DownloadOffload;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed payload links for download offload (docs/distribution.md, "Signed links"). A link is
 * <pre>{@code <base>/<sha256>?device=<controllerId>&expires=<unix seconds>&signature=<sig>}</pre>
 * where {@code sig} is the unpadded base64url HMAC-SHA256, keyed with the shared secret, of the
 * UTF-8 text {@code "gantry-link-v1\n" + controllerId + "\n" + sha256 + "\n" + expires}. A proxy
 * that holds the secret checks it without calling the backend (docs/offload/gantry-link.js does
 * in nginx). Only controller ids of URL-unreserved characters ({@code [A-Za-z0-9._~-]}, at most 64)
 * get offloaded links, so no part of a link needs percent-encoding; other devices download from
 * the backend.
 */
public final class SignedLinks {
    /** The first line of every signed text: a later format gets a new one. */
    public static final String VERSION = "gantry-link-v1";
    private static final Pattern LINKABLE_DEVICE = Pattern.compile("[A-Za-z0-9._~-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private final String base;
    private final SecretKeySpec key;
    private final Duration lifetime;

    /** A link and when it stops working. */
    public record Link(URI uri, Instant expires) {
    }

    /**
     * @param offload the configured offload (its secret file is read now)
     * @throws IllegalArgumentException if the secret file is unreadable or too short
     */
    public SignedLinks(DownloadOffload offload) {
        String b = offload.baseUrl().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.key = new SecretKeySpec(offload.secret(), "HmacSHA256");
        this.lifetime = offload.linkLifetime();
    }

    /** @return the offload links of {@code offload}, or {@code null} when there is none */
    public static SignedLinks of(DownloadOffload offload) {
        return offload == null ? null : new SignedLinks(offload);
    }

    /**
     * @param controllerId the device the link is for
     * @param sha256 the artifact's content address
     * @param now when the link is issued
     * @return the link, valid until {@code now} plus the lifetime (whole seconds), or empty when the
     *     controller id is not linkable (the device then downloads from the backend)
     */
    public Optional<Link> link(String controllerId, String sha256, Instant now) {
        if (!LINKABLE_DEVICE.matcher(controllerId).matches() || !SHA256_HEX.matcher(sha256).matches()) {
            return Optional.empty();
        }
        long expires = now.plus(lifetime).getEpochSecond();
        URI uri = URI.create(base + "/" + sha256 + "?device=" + controllerId + "&expires=" + expires + "&signature="
                + signature(controllerId, sha256, expires));
        return Optional.of(new Link(uri, Instant.ofEpochSecond(expires)));
    }

    /** @return the unpadded base64url HMAC-SHA256 of the link text of {@code controllerId}, {@code sha256}, {@code expires} */
    public String signature(String controllerId, String sha256, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal((VERSION + "\n" + controllerId + "\n" + sha256 + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * What a proxy checks, for tests and tools: the signature matches and the link has not expired.
     *
     * @return whether a link with these query values is valid at {@code now}
     */
    public boolean valid(String controllerId, String sha256, long expires, String signature, Instant now) {
        return now.getEpochSecond() < expires && MessageDigest.isEqual(
                signature(controllerId, sha256, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
