package io.gantry.verifier.internal;

import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ReleaseAuthorization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A verified release whose payloads sit in a private staging folder until closed. */
final class StagedRelease implements VerifiedRelease {
    private final ReleaseMetadata metadata;
    private final ReleaseAuthorization.Authorized authorized;
    private final List<VerifiedPayload> payloads;
    private final Path staging;
    private final boolean onLocalClock;

    StagedRelease(ReleaseMetadata metadata, ReleaseAuthorization.Authorized authorized, List<VerifiedPayload> payloads,
            Path staging, boolean onLocalClock) {
        this.metadata = metadata;
        this.authorized = authorized;
        this.payloads = List.copyOf(payloads);
        this.staging = staging;
        this.onLocalClock = onLocalClock;
    }

    /**
     * @return whether expiry was checked against the local clock instead of trusted time: only a
     *     root-signed trust-root release while trusted time is stuck ahead, and such a release may
     *     only install a root that resets trusted time
     */
    boolean onLocalClock() {
        return onLocalClock;
    }

    @Override
    public ReleaseMetadata metadata() {
        return metadata;
    }

    @Override
    public List<String> signerKeyIds() {
        return authorized.signerKeyIds();
    }

    @Override
    public List<String> signerNames() {
        return authorized.signerNames();
    }

    @Override
    public String role() {
        return authorized.role().name();
    }

    @Override
    public List<VerifiedPayload> payloads() {
        return payloads;
    }

    @Override
    public void close() {
        deleteTree(staging);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Staging is scratch space; a leftover is cleared at the verifier's next activation.
        }
    }

    @Override
    public String toString() {
        return "VerifiedRelease[" + metadata.name() + " " + metadata.version() + ", " + authorized.role().name()
                + " signed by " + authorized.signerNames() + "]";
    }
}
