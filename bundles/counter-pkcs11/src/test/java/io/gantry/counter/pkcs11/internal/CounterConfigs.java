package io.gantry.counter.pkcs11.internal;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestConfigs;

/** {@link Pkcs11CounterConfig} for a SoftHSM2 test token, as FileInstall would configure it. */
final class CounterConfigs {
    private CounterConfigs() {
    }

    /** @return a configuration for the SoftHSM2 test token labelled {@code label}; tests change the rest */
    static TestConfigs<Pkcs11CounterConfig> token(String label) throws Exception {
        return TestConfigs.of(Pkcs11CounterConfig.class).with("library", SoftHsmTestTokens.LIBRARY)
                .with("tokenLabel", label).with("pinFile", SoftHsmTestTokens.pinFile().toString());
    }
}
