package io.gantry.agent.internal;

import io.gantry.api.verify.ReleaseSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Actions handed to the update coordinator and not yet settled, one folder per action in the
 * agent's data area with the release's exact metadata and signature bytes. Written before the
 * coordinator is asked, because the coordinator may replace this very bundle: whichever revision of
 * the agent runs next reads the folder, asks the coordinator for the outcome, raises the floors
 * from these bytes (verified again) and reports; the action is never applied twice.
 */
final class PendingTransactions {
    private static final Pattern ACTION_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private final Path dir;

    /** A pending action and the release it applies, as signed. */
    record Pending(String actionId, byte[] metadata, byte[] signatures) {
        /** @return the transaction id the coordinator knows it by */
        String transactionId() {
            return "action-" + actionId;
        }

        /** @return the release's metadata and signatures; it has no payloads to offer any more */
        ReleaseSource release() {
            return new ReleaseSource() {
                @Override
                public byte[] metadata() {
                    return metadata.clone();
                }

                @Override
                public byte[] signatures() {
                    return signatures.clone();
                }

                @Override
                public InputStream openPayload(String payloadName) throws IOException {
                    throw new FileNotFoundException("payloads of a pending action are with the coordinator: " + payloadName);
                }

                @Override
                public String describe() {
                    return "action " + actionId;
                }
            };
        }
    }

    PendingTransactions(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /**
     * Stores the pending action durably (folder written aside, forced, renamed into place), unless
     * it is already there: only one caller can own an action, even when an agent instance being
     * deactivated and its successor both fetched it.
     *
     * @return false when the action was already pending (someone else handles it)
     */
    boolean storeIfAbsent(Pending p) throws IOException {
        Path target = folder(p.actionId());
        Path tmp = Files.createTempDirectory(dir, ".pending");
        write(tmp.resolve("release.json"), p.metadata());
        write(tmp.resolve("signatures.json"), p.signatures());
        try {
            // A rename onto an existing non-empty folder fails: the atomic claim.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteFolder(tmp);
            return false;
        }
    }

    boolean contains(String actionId) {
        return Files.exists(folder(actionId).resolve("signatures.json"));
    }

    /** @return every pending action, oldest id first */
    List<Pending> all() throws IOException {
        List<Pending> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path d : ds) {
                String id = d.getFileName().toString();
                if (ACTION_ID.matcher(id).matches() && Files.exists(d.resolve("signatures.json"))) {
                    out.add(new Pending(id, Files.readAllBytes(d.resolve("release.json")), Files.readAllBytes(d.resolve("signatures.json"))));
                }
            }
        }
        out.sort((a, b) -> a.actionId().compareTo(b.actionId()));
        return out;
    }

    void remove(String actionId) throws IOException {
        deleteFolder(folder(actionId));
    }

    private Path folder(String actionId) {
        if (!ACTION_ID.matcher(actionId).matches()) {
            throw new IllegalArgumentException("not an action id: " + actionId);
        }
        return dir.resolve(actionId);
    }

    private static void write(Path f, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(true);
        }
    }

    private static void deleteFolder(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path f : ds) {
                Files.delete(f);
            }
        }
        Files.delete(d);
    }
}
