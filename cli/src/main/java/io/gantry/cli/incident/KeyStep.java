package io.gantry.cli.incident;

import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** A step of the key-compromise playbook: every one names the compromised key. */
abstract class KeyStep extends IncidentStep {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
    @Option(names = "--key", required = true, description = "key id of the compromised release-signing key (64 hex digits,"
            + " SHA-256 of its public key: 'gantry release verify' and the trust root name it)")
    String key;

    @Override
    String incident() {
        if (!KEY_ID.matcher(key).matches()) {
            throw new IllegalArgumentException("--key must be 64 lower-case hex digits, not " + key);
        }
        return "key-compromise " + key;
    }
}
