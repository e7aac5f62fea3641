package io.gantry.cli;

import io.gantry.signing.Pkcs11SigningKeys;
import io.gantry.signing.Pkcs11TokenConfig;
import io.gantry.signing.SigningKeyFiles;
import java.nio.file.Path;
import java.security.KeyPair;

/** The signing key named on the command line: a PKCS#12 file, or an alias on a PKCS#11 token. */
final class SigningKeyChoice {
    private SigningKeyChoice() {
    }

    /** @throws IllegalArgumentException unless exactly one of {@code p12} and {@code pkcs11 + alias} is given */
    static KeyPair load(Path p12, Path pkcs11, String alias) throws Exception {
        if ((p12 == null) == (pkcs11 == null)) {
            throw new IllegalArgumentException("give either --key FILE.p12 or --pkcs11 CONFIG --key-alias NAME");
        }
        if (p12 != null) {
            if (alias != null) {
                throw new IllegalArgumentException("--key-alias goes with --pkcs11, not with --key");
            }
            return SigningKeyFiles.load(p12);
        }
        if (alias == null) {
            throw new IllegalArgumentException("--pkcs11 needs --key-alias NAME");
        }
        return Pkcs11SigningKeys.load(Pkcs11TokenConfig.load(pkcs11), alias);
    }
}
