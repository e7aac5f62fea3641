package io.gantry.release;

import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A trust root on disk: {@code trust-root.json} (the signed bytes) and beside it
 * {@code trust-root.sigs.json} (a signature envelope). Writes are atomic (temporary file, rename),
 * signatures first, so a crash never pairs new bytes with old signatures.
 */
public final class TrustRootFiles {
    private TrustRootFiles() {
    }

    /** A trust root's exact bytes and its signatures. */
    public record Signed(byte[] bytes, List<ReleaseSignature> signatures) {
    }

    /** @return the envelope file that belongs to {@code json} */
    public static Path signaturesOf(Path json) {
        String name = json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(base + ".sigs.json");
    }

    public static Signed read(Path json) throws IOException, MalformedReleaseException {
        Path sigs = signaturesOf(json);
        List<ReleaseSignature> signatures = Files.exists(sigs) ? SignatureEnvelope.parse(Files.readAllBytes(sigs)) : List.of();
        return new Signed(Files.readAllBytes(json), signatures);
    }

    public static void write(Path json, byte[] bytes, List<ReleaseSignature> signatures) throws IOException {
        Files.createDirectories(json.toAbsolutePath().getParent());
        atomic(signaturesOf(json), SignatureEnvelope.write(signatures));
        atomic(json, bytes);
    }

    /** Adds (or replaces) one signer's signature over the file's exact bytes. */
    public static void addSignature(Path json, ReleaseSignature signature) throws IOException, MalformedReleaseException {
        Signed s = read(json);
        List<ReleaseSignature> sigs = new ArrayList<>(s.signatures());
        sigs.removeIf(x -> x.keyId().equals(signature.keyId()));
        sigs.add(signature);
        atomic(signaturesOf(json), SignatureEnvelope.write(sigs));
    }

    private static void atomic(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".trust", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
