package io.gantry.agent.internal;

import io.gantry.api.verify.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * A release whose metadata and signatures were already fetched (and journaled): the verifier
 * checks exactly those bytes, the ones the agent later records floors from; payloads still come
 * from the original source, and per-device progress goes to the original source's channel.
 */
final class FixedMetadataSource implements ReleaseSource, DeviceProgress {
    private final ReleaseSource payloads;
    private final PendingTransactions.Pending fixed;

    FixedMetadataSource(ReleaseSource payloads, PendingTransactions.Pending fixed) {
        this.payloads = payloads;
        this.fixed = fixed;
    }

    @Override
    public byte[] metadata() {
        return fixed.metadata().clone();
    }

    @Override
    public byte[] signatures() {
        return fixed.signatures().clone();
    }

    @Override
    public InputStream openPayload(String payloadName) throws IOException {
        return payloads.openPayload(payloadName);
    }

    @Override
    public InputStream openPayload(String payloadName, long signedSize) throws IOException {
        return payloads.openPayload(payloadName, signedSize);
    }

    @Override
    public void deviceProgress(String line) {
        DeviceProgress.of(payloads).deviceProgress(line);
    }

    @Override
    public String describe() {
        return payloads.describe();
    }
}
