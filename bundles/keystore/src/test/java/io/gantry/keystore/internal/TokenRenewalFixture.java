package io.gantry.keystore.internal;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestPki;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device identity provisioned on the shared SoftHSM2 token under an alias of its own per test
 * (prefix + test name), a {@link Pkcs11KeyStore} over it, and a second provider to look at the
 * token as it is: the setting of the token renewal and crash tests.
 */
abstract class TokenRenewalFixture {
    @TempDir
    Path dir;
    TestPki pki;
    int slot;
    String alias;
    String deviceId;
    X509Certificate provisioned;
    Path trust;
    Provider inspector;
    Pkcs11KeyStore identity;

    private final String aliasPrefix;

    TokenRenewalFixture(String aliasPrefix) {
        this.aliasPrefix = aliasPrefix;
    }

    @BeforeEach
    void provision(TestInfo test) throws Exception {
        pki = new TestPki();
        slot = Math.toIntExact(SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN));
        alias = aliasPrefix + test.getTestMethod().orElseThrow().getName();
        deviceId = "gw-" + alias.hashCode();
        provisioned = SoftHsmTestTokens.provision(SoftHsmTestTokens.MAIN, alias, key -> List.of(pki.device(deviceId, key), pki.issuer));
        trust = pki.writeRoot(dir.resolve("root.pem"));
        inspector = SunPkcs11Slots.open(SoftHsmTestTokens.LIBRARY, slot, -1);
        identity = restart();
    }

    @AfterEach
    void stopIdentity() {
        identity.deactivate();
    }

    /** A (re)start of the component, as after a reboot or a crash. */
    Pkcs11KeyStore restart() throws Exception {
        if (identity != null) {
            identity.deactivate();
        }
        identity = new Pkcs11KeyStore(Pkcs11Configs.softHsm(slot, alias, trust).build());
        identity.tlsPolicies = Optional::empty; // a running verifier whose trust root has no tls object
        return identity;
    }

    /** @return the token as it is now: SunPKCS11 reads the token's entries when a key store is loaded */
    KeyStore token() throws Exception {
        return TokenKeys.login(inspector, SoftHsmTestTokens.pinFile());
    }

    /** @return this test's aliases on the token */
    List<String> aliases() throws Exception {
        return Collections.list(token().aliases()).stream().filter(a -> a.equals(alias) || a.startsWith(alias + "#"))
                .sorted().toList();
    }
}
