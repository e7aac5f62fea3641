package io.gantry.agent.internal;

import io.gantry.api.device.SignedTrustRoot;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The trust roots this gateway rotated to, kept in the agent's data area
 * ({@code <version>.json} and {@code <version>.sigs.json}) so that devices holding release keys of
 * their own can follow the same rotations, in order, even when they were offline at the time.
 * Each is the verifier's input of an installed trust-root release, verified again by each device.
 * At most {@link #MAX_KEPT} are kept (the newest).
 */
final class TrustRootChain {
    /** Most rotations kept. */
    static final int MAX_KEPT = 32;
    private static final Pattern FILE = Pattern.compile("(\\d{1,18})\\.json");
    private final Path dir;

    TrustRootChain(Path dir) {
        this.dir = dir;
    }

    /** Keeps the root an installed trust-root release carried, as version {@code version}. */
    synchronized void keep(VerifiedRelease release, long version) throws IOException {
        Files.createDirectories(dir);
        // Signatures first: a crash never leaves a root without its envelope.
        atomic(dir.resolve(version + ".sigs.json"), payload(release, "trust-root.sigs.json"));
        atomic(dir.resolve(version + ".json"), payload(release, "trust-root.json"));
        TreeMap<Long, Path> all = files();
        while (all.size() > MAX_KEPT) {
            Path oldest = all.pollFirstEntry().getValue();
            Files.deleteIfExists(oldest.resolveSibling(oldest.getFileName().toString().replace(".json", ".sigs.json")));
            Files.deleteIfExists(oldest);
        }
    }

    /** @return the kept roots, oldest first; one that cannot be read is left out (each device checks them anyway) */
    synchronized List<SignedTrustRoot> list() {
        List<SignedTrustRoot> out = new ArrayList<>();
        try {
            for (Path p : files().values()) {
                Path sigs = p.resolveSibling(p.getFileName().toString().replace(".json", ".sigs.json"));
                if (Files.exists(sigs)) {
                    out.add(new SignedTrustRoot(Files.readAllBytes(p), Files.readAllBytes(sigs)));
                }
            }
        } catch (IOException e) {
            System.getLogger(TrustRootChain.class.getName()).log(System.Logger.Level.WARNING,
                    "rotated trust roots unreadable: {0}", e.toString());
        }
        return out;
    }

    private TreeMap<Long, Path> files() throws IOException {
        TreeMap<Long, Path> all = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    all.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        return all;
    }

    private static byte[] payload(VerifiedRelease release, String name) throws IOException {
        for (VerifiedPayload p : release.payloads()) {
            if (p.info().name().equals(name)) {
                try (InputStream in = p.open()) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IOException("trust-root release lacks " + name);
    }

    private static void atomic(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
