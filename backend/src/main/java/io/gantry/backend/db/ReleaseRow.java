package io.gantry.backend.db;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import java.time.Instant;
import java.util.List;

/**
 * A stored release: the fields the backend indexes, plus the exact signed metadata bytes and the
 * signature envelope that devices download and verify themselves.
 *
 * @param id database id (the DDI "software module" id)
 * @param name release name
 * @param version release version
 * @param kind bundle or firmware
 * @param target device type
 * @param metadata the exact signed metadata bytes
 * @param signatures the signature envelope bytes
 * @param signerKeyIds key ids whose signatures verified at upload
 * @param createdAt upload time
 * @param payloads the signed payloads, in metadata order
 */
public record ReleaseRow(long id, String name, String version, ReleaseKind kind, String target, byte[] metadata,
        byte[] signatures, List<String> signerKeyIds, Instant createdAt, List<PayloadInfo> payloads) {
    /** Copies the lists. */
    public ReleaseRow {
        signerKeyIds = List.copyOf(signerKeyIds);
        payloads = List.copyOf(payloads);
    }
}
