package io.gantry.counter.pkcs11.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link Pkcs11CounterConfig} instances as SCR would build them from a configuration dictionary. */
final class CounterConfigs {
    private final Map<String, Object> values = new HashMap<>();

    private CounterConfigs() {
    }

    /** @return a configuration for the SoftHSM2 test token labelled {@code label} */
    static CounterConfigs token(String label) throws Exception {
        return new CounterConfigs().with("library", SoftHsmTokens.LIBRARY).with("tokenLabel", label)
                .with("pinFile", SoftHsmTokens.pinFile().toString());
    }

    CounterConfigs with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    Pkcs11CounterConfig build() {
        return (Pkcs11CounterConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Pkcs11CounterConfig.class}, (proxy, method, args) -> value(method));
    }

    private Object value(Method method) {
        return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
    }
}
