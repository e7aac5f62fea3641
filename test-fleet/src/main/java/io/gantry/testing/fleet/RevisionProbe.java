package io.gantry.testing.fleet;

import java.util.regex.Pattern;

/**
 * The source of {@code <bsn>.internal.RevisionProbe}, a class {@link BundleRebuild#revisionProbe}
 * adds to a rebuilt bundle: an immediate DS component that registers a service of type
 * {@code Object} with {@value #PROPERTY}{@code =<bsn>:<label>} (its {@code toString()} says the
 * same) and logs "revision &lt;bsn&gt;:&lt;label&gt; active" when activated. Seeing that service
 * shows the rebuilt revision's code is running.
 */
public final class RevisionProbe {
    /** The probe's service property, valued {@code <bsn>:<label>}. */
    public static final String PROPERTY = "gantry.revision";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9._-]+");

    private RevisionProbe() {
    }

    /** @return the LDAP filter matching the probe service of that bundle and label */
    public static String filter(String bsn, String label) {
        return "(" + PROPERTY + "=" + bsn + ":" + label + ")";
    }

    /** @return the probe's fully qualified class name in bundle {@code bsn} */
    public static String className(String bsn) {
        return bsn + ".internal.RevisionProbe";
    }

    /** @return the probe's source for bundle {@code bsn}, {@code label} made of letters, digits, '.', '_', '-' */
    public static String source(String bsn, String label) {
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("label " + label + " is not " + LABEL);
        }
        String revision = bsn + ":" + label;
        return "package " + bsn + ".internal;\n\n"
                + "/** Revision " + revision + ", added by BundleRebuild: its service shows this build runs. */\n"
                + "@org.osgi.service.component.annotations.Component(service = Object.class, immediate = true,\n"
                + "        property = \"" + PROPERTY + "=" + revision + "\")\n"
                + "public final class RevisionProbe {\n"
                + "    @org.osgi.service.component.annotations.Activate\n"
                + "    void activate() {\n"
                + "        System.getLogger(RevisionProbe.class.getName())\n"
                + "                .log(System.Logger.Level.INFO, \"revision " + revision + " active\");\n"
                + "    }\n\n"
                + "    @Override\n"
                + "    public String toString() {\n"
                + "        return \"" + revision + "\";\n"
                + "    }\n"
                + "}\n";
    }
}
