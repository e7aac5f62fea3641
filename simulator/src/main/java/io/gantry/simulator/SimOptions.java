package io.gantry.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of a harness, each with a default; an unknown name is refused. */
final class SimOptions {
    private final Map<String, String> values;

    private SimOptions(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException on an unknown option or one without a value */
    static SimOptions parse(String[] args, Map<String, String> defaults) {
        Map<String, String> v = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !defaults.containsKey(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + defaults);
            }
            v.put(name, args[i + 1]);
        }
        return new SimOptions(v);
    }

    String text(String name) {
        return values.get(name);
    }

    int number(String name) {
        return Integer.parseInt(values.get(name));
    }

    /** @return the value split on spaces, empty for an empty value */
    List<String> words(String name) {
        String s = values.get(name).trim();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }
}
