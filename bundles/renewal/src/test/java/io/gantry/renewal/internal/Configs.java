package io.gantry.renewal.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link RenewalConfig} as SCR would build it: defaults unless set. */
final class Configs {
    private Configs() {
    }

    static RenewalConfig renewal(String backendUrl, Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        values.put("backendUrl", backendUrl);
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (RenewalConfig) Proxy.newProxyInstance(RenewalConfig.class.getClassLoader(), new Class<?>[] {RenewalConfig.class},
                (p, m, a) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }
}
