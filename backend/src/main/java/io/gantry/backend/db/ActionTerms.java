package io.gantry.backend.db;

import java.util.Locale;
import java.util.Optional;

/**
 * How and when an action is to be carried out.
 *
 * @param type {@link Type#FORCED} (hawkBit's default), {@link Type#SOFT} (the device may ask its
 *     user first: DDI {@code attempt}) or {@link Type#DOWNLOAD_ONLY} (download, do not install)
 * @param window the daily maintenance window outside which nothing is installed, if any
 */
public record ActionTerms(Type type, Optional<MaintenanceWindow> window) {
    /** The terms of an assignment that says nothing: forced, any time. */
    public static final ActionTerms DEFAULT = new ActionTerms(Type.FORCED, Optional.empty());

    /** hawkBit's action types. */
    public enum Type {
        /** Download and install at once: DDI {@code forced}. */
        FORCED,
        /** The device may defer: DDI {@code attempt}. */
        SOFT,
        /** Download only: DDI update {@code skip}. */
        DOWNLOAD_ONLY;

        /** @return the stored form: {@code forced}, {@code soft}, {@code downloadonly} */
        public String stored() {
            return name().replace("_", "").toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for anything but the stored forms */
        public static Type ofStored(String s) {
            for (Type t : values()) {
                if (t.stored().equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("action type must be forced, soft or downloadonly, not " + s);
        }
    }
}
