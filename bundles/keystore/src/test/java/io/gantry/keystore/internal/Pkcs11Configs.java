package io.gantry.keystore.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@link Pkcs11KeyStoreConfig} instances as SCR would build them from a configuration dictionary. */
final class Pkcs11Configs {
    private final Map<String, Object> values = new HashMap<>();

    private Pkcs11Configs() {
    }

    /** @return a configuration for {@code alias} on the given slot of the SoftHSM2 module */
    static Pkcs11Configs softHsm(int slot, String alias, Path trustAnchor) throws Exception {
        return new Pkcs11Configs().with("library", SoftHsmTestTokens.LIBRARY).with("slot", slot)
                .with("pinFile", SoftHsmTestTokens.pinFile().toString()).with("keyAlias", alias)
                .with("trustAnchorPath", trustAnchor.toString());
    }

    Pkcs11Configs with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Pkcs11KeyStoreConfig build() {
        return (Pkcs11KeyStoreConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Pkcs11KeyStoreConfig.class}, (proxy, method, args) -> value(method));
    }

    private Object value(Method method) {
        return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
    }
}
