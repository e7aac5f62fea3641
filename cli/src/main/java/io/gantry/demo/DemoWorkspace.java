package io.gantry.demo;

import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Work-folder chores for the demo: a clean start, and a tampered copy of a release. */
final class DemoWorkspace {
    private DemoWorkspace() {
    }

    /** Deletes and recreates {@code work}; refuses anything that is not a demo work folder. */
    static void reset(Path work) throws IOException {
        if (Files.exists(work)) {
            if (!Files.exists(work.resolve(".gantry-demo"))) {
                throw new IOException(work + " exists and is not a demo work folder; refusing to delete it");
            }
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(".gantry-demo"), "created by ./gantry demo; deleted by the next run\n");
    }

    /** @return a copy of {@code archive} whose metadata names another target, signatures unchanged */
    static Path tamperMetadata(Path archive, Path dir) throws IOException, MalformedReleaseException {
        Path out = dir.resolve("tampered-" + archive.getFileName());
        Path payloads = Files.createDirectories(dir.resolve("tampered-payloads"));
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            String metadata = new String(src.metadata(), StandardCharsets.UTF_8).replace("acme-sensor", "acme-sensar");
            Map<String, Path> files = new LinkedHashMap<>();
            for (String name : src.payloadNames()) {
                try (InputStream in = src.openPayload(name)) {
                    Path f = payloads.resolve(name);
                    Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    files.put(name, f);
                }
            }
            ReleaseArchive.write(out, metadata.getBytes(StandardCharsets.UTF_8), src.signatures(), files);
        }
        return out;
    }
}
