package io.gantry.counter.pkcs11.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Ties the gateway to the counter store on its token, so that a wiped, re-initialised or swapped
 * token is an error rather than a fresh set of counters at 0.
 *
 * <p>The store marker's value is recorded in a file in the gateway's storage. That file does not
 * protect the counters (restoring an old image restores the same marker id, and the values stay on
 * the token); it only records that a store existed. The cases:
 *
 * <ul>
 *   <li>token has a marker, file agrees or is absent (first start, or a restored image older than
 *       it): use the token's store, and record it;
 *   <li>token has a marker, file names another: refuse (another token in the slot);
 *   <li>token has no marker, file absent: a new gateway; create the store and record it (a crash in
 *       between leaves a marker and no file: the first case at the next start);
 *   <li>token has no marker, file present: refuse. An operator who really replaced the token deletes
 *       the file (docs/gateway.md).
 * </ul>
 */
final class StoreBinding {
    private StoreBinding() {
    }

    /** @return the store id in use */
    static byte[] bind(CounterObjects objects, Path file) throws IOException, TokenException {
        Optional<byte[]> onToken = objects.storeId();
        Optional<byte[]> recorded = Files.exists(file)
                ? Optional.of(HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim()))
                : Optional.empty();
        if (onToken.isPresent()) {
            if (recorded.isPresent() && !Arrays.equals(recorded.get(), onToken.get())) {
                throw new IOException("the token holds another counter store than the one recorded in " + file
                        + ": a different token is in the slot");
            }
            if (recorded.isEmpty()) {
                record(file, onToken.get());
            }
            return onToken.get();
        }
        if (recorded.isPresent()) {
            throw new IOException("the counter store recorded in " + file + " is missing from the token (wiped, "
                    + "re-initialised or replaced); the counters are not assumed to be 0");
        }
        byte[] id = objects.createStore();
        record(file, id);
        return id;
    }

    private static void record(Path file, byte[] id) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.US_ASCII.encode(HexFormat.of().formatHex(id) + "\n"));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
