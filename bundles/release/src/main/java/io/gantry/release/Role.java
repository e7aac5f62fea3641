package io.gantry.release;

import java.util.List;
import java.util.Set;

/**
 * A set of keys with a threshold. Release roles cover one major version; vendor roles are limited
 * to their device types (firmware targets) and bundle symbolic names.
 *
 * @param name "root", "releases/&lt;major&gt;" or "vendor/&lt;name&gt;"
 * @param threshold how many distinct keys must sign
 * @param keyIds the keys of the role
 * @param targets for vendor roles: the device types whose firmware they may sign
 * @param bundles for vendor roles: the bundle symbolic names they may sign
 */
public record Role(String name, int threshold, Set<String> keyIds, Set<String> targets, Set<String> bundles) {
    /** Copies the sets. */
    public Role {
        keyIds = Set.copyOf(keyIds);
        targets = Set.copyOf(targets);
        bundles = Set.copyOf(bundles);
    }

    /** @return a role without scope limits */
    public static Role of(String name, int threshold, List<String> keyIds) {
        return new Role(name, threshold, Set.copyOf(keyIds), Set.of(), Set.of());
    }
}
