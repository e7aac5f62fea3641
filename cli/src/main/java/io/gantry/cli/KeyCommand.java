package io.gantry.cli;

import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.signing.Pkcs11SigningKeys;
import io.gantry.signing.Pkcs11TokenConfig;
import io.gantry.signing.SigningKeyFiles;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Release-signing keys: PKCS#12 files for development, or keys generated on a PKCS#11 token (docs/keys.md). */
@Command(name = "key", description = "Create release-signing keys.")
final class KeyCommand {

    @Command(name = "create", description = {"Create an ECDSA P-256 signing key: <dir>/<name>.p12 (+ .pass) and "
        + "<dir>/<name>.pub.pem;", "with --pkcs11, the private key is generated on the token under alias <name> and "
        + "never leaves it; only <dir>/<name>.pub.pem is written."})
    int create(@Option(names = "--dir", defaultValue = ".", description = "folder for the key files (default: .)") Path dir,
            @Option(names = "--name", required = true, description = "key name (file names; the alias on a token)") String name,
            @Option(names = "--pkcs11", description = "token config properties file (docs/keys.md)") Path pkcs11)
            throws Exception {
        Clock clock = Clock.systemUTC();
        Path pub = pkcs11 == null ? SigningKeyFiles.create(dir, name, clock)
                : Pkcs11SigningKeys.create(Pkcs11TokenConfig.load(pkcs11), name, dir, clock);
        String where = pkcs11 == null ? dir.resolve(name + ".p12").toString() : "'" + name + "' on the token of " + pkcs11;
        System.out.println("created " + where + "; public key " + pub
                + " (key id " + KeyIds.of(PemFiles.readPublicKey(pub)) + ")");
        return 0;
    }
}
