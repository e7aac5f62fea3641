package com.acme.gantry.sensor.internal;

/** The Acme image format: a first line {@code ACME-FW <version>}, then the image body. */
final class FirmwareImage {
    private static final String MAGIC = "ACME-FW ";

    private FirmwareImage() {
    }

    static String header(String version) {
        return MAGIC + version + "\n";
    }

    /** @return the version the image names, or null if it is not an Acme image */
    static String versionOf(String image) {
        if (!image.startsWith(MAGIC)) {
            return null;
        }
        int nl = image.indexOf('\n');
        return nl < 0 ? null : image.substring(MAGIC.length(), nl).trim();
    }

    /** Compares dotted numeric versions (major.minor.micro), ignoring any qualifier. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int part(String[] parts, int i) {
        return i < parts.length ? Integer.parseInt(parts[i]) : 0;
    }
}
