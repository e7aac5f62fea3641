package io.gantry.api.verify;

import io.gantry.api.release.ReleaseMetadata;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Proof that a release verified: its metadata parsed from the signed bytes, the keys that signed
 * it, and its payloads as staged while hashing. Installers accept only this object and read the
 * payload bytes from it, never from a path someone else could swap.
 */
@ProviderType
public interface VerifiedRelease extends AutoCloseable {

    /** @return the metadata, parsed from the exact signed bytes */
    ReleaseMetadata metadata();

    /** @return ids (hex SHA-256 of the public key) of the trusted keys whose signatures verified */
    List<String> signerKeyIds();

    /** @return names (from the trust root) of the distinct keys whose signatures counted */
    List<String> signerNames();

    /** @return the trust-root role that authorized the release, e.g. "releases/1" or "vendor/acme" */
    String role();

    /** @return the verified payloads, in metadata order */
    List<VerifiedPayload> payloads();

    /** Discards the staged payload bytes. */
    @Override
    void close();
}
