package io.gantry.release;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;

/** Loads a set of trusted release-signing public keys from a folder of {@code *.pem} files. */
public final class TrustedKeys {
    private TrustedKeys() {
    }

    /**
     * @param dir a folder of PEM public keys
     * @return the keys by key id; empty if the folder holds none
     * @throws IOException if the folder cannot be read
     * @throws GeneralSecurityException if a file is not a valid key (refuse, do not skip)
     */
    public static Map<String, PublicKey> load(Path dir) throws IOException, GeneralSecurityException {
        Map<String, PublicKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
            for (Path f : files) {
                PublicKey k = PemFiles.readPublicKey(f);
                keys.put(KeyIds.of(k), k);
            }
        }
        return Map.copyOf(keys);
    }
}
