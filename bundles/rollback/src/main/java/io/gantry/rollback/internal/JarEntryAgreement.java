package io.gantry.rollback.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * A jar has two indexes of its entries: the local headers, read in order by streaming readers
 * ({@code JarInputStream}), and the central directory at the end, read by the framework. A crafted
 * jar can make them disagree (two manifests, one in each), so a check that streams sees one bundle
 * while Felix installs another. This class refuses any jar whose two views differ in names,
 * order, sizes or CRCs, or that names an entry twice, and reads the manifest from the central
 * directory, as the framework does.
 *
 * <p>Written here rather than taken from a library: no zip library offers "both views must agree";
 * {@code java.util.zip} reads each view and the comparison is what is ours.
 */
final class JarEntryAgreement {
    private JarEntryAgreement() {
    }

    /** One entry as either index describes it once its data has been read. */
    private record EntryView(String name, long size, long crc) {
    }

    /**
     * @param jar a complete jar file
     * @return the manifest the central directory names, or {@code null} if there is none
     * @throws IOException if the jar is unreadable or its two indexes disagree
     */
    static Manifest requireAgreement(Path jar) throws IOException {
        List<EntryView> central = new ArrayList<>();
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ)) {
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                central.add(new EntryView(z.getName(), z.getSize(), z.getCrc()));
            }
            manifest = file.getManifest();
        }
        List<EntryView> local = new ArrayList<>();
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry z = zip.getNextEntry(); z != null; z = zip.getNextEntry()) {
                long size = zip.transferTo(OutputStream.nullOutputStream());
                // Size and CRC are known only after the data (a data descriptor may follow it).
                local.add(new EntryView(z.getName(), size, z.getCrc()));
            }
        }
        Set<String> names = new HashSet<>();
        for (EntryView v : local) {
            if (!names.add(v.name())) {
                throw new IOException("jar names entry " + v.name() + " twice");
            }
        }
        if (!central.equals(local)) {
            throw new IOException("jar's central directory (" + central.size() + " entries) disagrees with its local headers ("
                    + local.size() + " entries): " + firstDifference(central, local));
        }
        return manifest;
    }

    private static String firstDifference(List<EntryView> central, List<EntryView> local) {
        for (int i = 0; i < Math.max(central.size(), local.size()); i++) {
            EntryView c = i < central.size() ? central.get(i) : null;
            EntryView l = i < local.size() ? local.get(i) : null;
            if (c == null || !c.equals(l)) {
                return "entry " + i + " is " + c + " in the directory and " + l + " in the local headers";
            }
        }
        return "none";
    }
}
