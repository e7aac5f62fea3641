package io.gantry.cli;

import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.signing.SigningKeyFiles;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Release-signing keys. */
@Command(name = "key", description = "Create release-signing keys.")
final class KeyCommand {

    @Command(name = "create", description = "Create an ECDSA P-256 signing key: <dir>/<name>.p12 (+ .pass) and <name>.pub.pem.")
    int create(@Option(names = "--dir", required = true) Path dir, @Option(names = "--name", required = true) String name)
            throws Exception {
        Path pub = SigningKeyFiles.create(dir, name, Clock.systemUTC());
        System.out.println("created " + dir.resolve(name + ".p12") + "; public key " + pub
                + " (key id " + KeyIds.of(PemFiles.readPublicKey(pub)) + ")");
        return 0;
    }
}
