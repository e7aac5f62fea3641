package io.gantry.release;

/**
 * Release versions as numbers that can be kept in a monotonic counter: major, minor and micro
 * (each at most six digits, as the metadata grammar allows) packed into one long. The qualifier
 * does not take part: 1.2.3.a and 1.2.3.b are the same version for anti-rollback.
 */
public final class ReleaseVersions {
    private static final long SCALE = 1_000_000L;

    private ReleaseVersions() {
    }

    /** @return a number that orders versions as major.minor.micro do */
    public static long ordinal(String version) {
        String[] p = version.split("\\.");
        long major = Long.parseLong(p[0]);
        long minor = Long.parseLong(p[1]);
        long micro = Long.parseLong(p[2]);
        if (minor >= SCALE || micro >= SCALE || major >= SCALE) {
            throw new IllegalArgumentException("version part above 999999: " + version);
        }
        return (major * SCALE + minor) * SCALE + micro;
    }

    /** @return the version an ordinal encodes, without qualifier */
    public static String format(long ordinal) {
        return (ordinal / SCALE / SCALE) + "." + (ordinal / SCALE % SCALE) + "." + (ordinal % SCALE);
    }
}
