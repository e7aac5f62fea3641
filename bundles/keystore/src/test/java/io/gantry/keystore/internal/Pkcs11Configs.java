package io.gantry.keystore.internal;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestConfigs;
import java.nio.file.Path;

/** {@link Pkcs11KeyStoreConfig} for a key on a SoftHSM2 test token, as FileInstall would configure it. */
final class Pkcs11Configs {
    private Pkcs11Configs() {
    }

    /** @return a configuration for {@code alias} on the given slot of the SoftHSM2 module; tests change the rest */
    static TestConfigs<Pkcs11KeyStoreConfig> softHsm(int slot, String alias, Path trustAnchor) throws Exception {
        return TestConfigs.of(Pkcs11KeyStoreConfig.class).with("library", SoftHsmTestTokens.LIBRARY).with("slot", slot)
                .with("pinFile", SoftHsmTestTokens.pinFile().toString()).with("keyAlias", alias)
                .with("trustAnchorPath", trustAnchor.toString());
    }
}
