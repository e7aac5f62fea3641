package io.gantry.release;

import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** Adds a signer's detached signature to a release archive, keeping metadata and payloads byte for byte. */
public final class ArchiveSigning {
    private ArchiveSigning() {
    }

    /**
     * Signs the archive's exact metadata bytes and writes the archive with the signature added.
     * A key that already signed is replaced, never counted twice.
     *
     * @return the new signature
     */
    public static ReleaseSignature addSignature(Path in, Path out, PrivateKey key, PublicKey publicKey)
            throws IOException, MalformedReleaseException, GeneralSecurityException {
        List<ReleaseSignature> signatures;
        byte[] metadata;
        try (ArchiveReleaseSource src = ReleaseArchive.open(in)) {
            metadata = src.metadata();
            MetadataJson.parse(metadata);
            signatures = new ArrayList<>(SignatureEnvelope.parse(src.signatures()));
        }
        ReleaseSignature sig = ReleaseSigning.sign(metadata, key, publicKey);
        signatures.removeIf(s -> s.keyId().equals(sig.keyId()));
        signatures.add(sig);
        ReleaseArchive.rewriteSignatures(in, out, SignatureEnvelope.write(signatures));
        return sig;
    }
}
