package io.gantry.agent.internal;

import io.gantry.api.verify.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * A source that keeps the metadata and signature bytes it handed out, so the exact bytes the
 * verifier checked travel on to the devices (which check them again with their own keys). Each is
 * read from the underlying source once; later reads get the same bytes.
 */
final class RecordedReleaseSource implements ReleaseSource {
    private final ReleaseSource source;
    private byte[] metadata;
    private byte[] signatures;

    RecordedReleaseSource(ReleaseSource source) {
        this.source = source;
    }

    @Override
    public synchronized byte[] metadata() throws IOException {
        if (metadata == null) {
            metadata = source.metadata().clone();
        }
        return metadata.clone();
    }

    @Override
    public synchronized byte[] signatures() throws IOException {
        if (signatures == null) {
            signatures = source.signatures().clone();
        }
        return signatures.clone();
    }

    @Override
    public InputStream openPayload(String payloadName) throws IOException {
        return source.openPayload(payloadName);
    }

    @Override
    public InputStream openPayload(String payloadName, long signedSize) throws IOException {
        return source.openPayload(payloadName, signedSize);
    }

    @Override
    public String describe() {
        return source.describe();
    }
}
