package io.gantry.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Instances of a component's configuration annotation type ({@code @ObjectClassDefinition}) as SCR
 * builds them from a configuration dictionary: a value set here, or else the method's default
 * ({@code null} where there is none). Numbers are converted to the method's type (an {@code int}
 * slot may be given as a {@code long}), as SCR converts dictionary values.
 *
 * <pre>{@code
 * RenewalConfig c = TestConfigs.of(RenewalConfig.class).with("backendUrl", url).build();
 * }</pre>
 *
 * @param <T> the configuration type
 */
public final class TestConfigs<T> {
    private final Class<T> type;
    private final Map<String, Object> values = new HashMap<>();

    private TestConfigs(Class<T> type) {
        this.type = type;
    }

    /** @return an empty configuration of {@code type}: every method answers its default */
    public static <T> TestConfigs<T> of(Class<T> type) {
        return new TestConfigs<>(type);
    }

    /** Sets (or, with {@code null}, clears to null) the value of the method {@code name}. */
    public TestConfigs<T> with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** Sets name/value pairs: {@code name1, value1, name2, value2, ...}. */
    public TestConfigs<T> with(Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            with((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return this;
    }

    /** @return the configuration as SCR would pass it to the component's constructor */
    public T build() {
        Map<String, Object> snapshot = new HashMap<>(values);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> value(snapshot, method)));
    }

    private static Object value(Map<String, Object> values, Method method) {
        if (!values.containsKey(method.getName())) {
            return method.getDefaultValue();
        }
        Object v = values.get(method.getName());
        if (v instanceof Number n) {
            Class<?> t = method.getReturnType();
            if (t == int.class || t == Integer.class) {
                return Math.toIntExact(n.longValue());
            }
            if (t == long.class || t == Long.class) {
                return n.longValue();
            }
        }
        return v;
    }
}
