package io.gantry.testing.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilds io.gantry.verifier from its sources with an added probe component and with a replaced class. */
class BundleRebuildTest {
    private static final String VERIFIER = "io.gantry.verifier";
    private static final String MAIN_CLASS = "io.gantry.verifier.internal.SignedReleaseVerifier";

    @TempDir
    Path dir;

    @Test
    void addsAProbeComponentToTheModulesOwnBundle() throws Exception {
        Path jar = BundleRebuild.of(VERIFIER).version("0.2.0").revisionProbe("r2").build(dir);
        assertEquals(dir.resolve("io.gantry.verifier-0.2.0.jar"), jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            Attributes mf = jf.getManifest().getMainAttributes();
            assertEquals(VERIFIER, mf.getValue("Bundle-SymbolicName"));
            assertEquals("0.2.0", mf.getValue("Bundle-Version"));
            assertEquals("Gantry", mf.getValue("Bundle-Vendor"), "common.bnd was included");
            String imports = mf.getValue("Import-Package");
            assertTrue(imports.contains("io.gantry.api.verify;version=\"[1."), imports);
            assertTrue(mf.getValue("Service-Component").contains("OSGI-INF/io.gantry.verifier.internal.RevisionProbe.xml"));

            String probe = entry(jf, "OSGI-INF/io.gantry.verifier.internal.RevisionProbe.xml");
            assertTrue(probe.contains("name=\"gantry.revision\"") && probe.contains("value=\"io.gantry.verifier:r2\""), probe);
            assertTrue(probe.contains("immediate=\"true\""), probe);
            assertNotNull(jf.getEntry("io/gantry/verifier/internal/RevisionProbe.class"));

            // Every class of the module is there, its own component and metatype descriptions too.
            try (Stream<Path> sources = Files.walk(SourceTree.find().bundleModule(VERIFIER).resolve("src/main/java"))) {
                sources.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String cls = "io/gantry/verifier/internal/" + f.getFileName().toString().replace(".java", ".class");
                    assertNotNull(jf.getEntry(cls), cls);
                });
            }
            assertNotNull(jf.getEntry("OSGI-INF/io.gantry.verifier.internal.SignedReleaseVerifier.xml"));
            assertNotNull(jf.getEntry("OSGI-INF/metatype/io.gantry.verifier.internal.VerifierConfig.xml"));
        }
    }

    @Test
    void shipsAVerifierWhoseActivationFails() throws Exception {
        String marker = "revision r3 refuses to start";
        Path jar = FaultyRevisions.verifierFailingActivation(marker).version("0.3.0").build(dir);
        try (JarFile jf = new JarFile(jar.toFile())) {
            assertEquals("0.3.0", jf.getManifest().getMainAttributes().getValue("Bundle-Version"));
            byte[] cls = jf.getInputStream(jf.getEntry("io/gantry/verifier/internal/SignedReleaseVerifier.class")).readAllBytes();
            assertTrue(new String(cls, StandardCharsets.ISO_8859_1).contains(marker), "the replaced class was compiled");
            assertNotNull(jf.getEntry("OSGI-INF/io.gantry.verifier.internal.SignedReleaseVerifier.xml"));
        }
    }

    @Test
    void shipsAVerifierThatIsNeverSatisfied() throws Exception {
        Path jar = FaultyRevisions.verifierNeverSatisfied().version("0.3.1").build(dir);
        try (JarFile jf = new JarFile(jar.toFile())) {
            String component = entry(jf, "OSGI-INF/io.gantry.verifier.internal.SignedReleaseVerifier.xml");
            assertTrue(component.contains("target=\"(gantry.absent=true)\""), component);
        }
    }

    @Test
    void reportsWhatJavacRefused() {
        BundleRebuild rebuild = BundleRebuild.of(VERIFIER).version("0.2.0")
                .add("io.gantry.verifier.internal.Broken", "package io.gantry.verifier.internal;\nclass Broken { NoSuchType x; }\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rebuild.build(dir));
        assertTrue(e.getMessage().contains("Broken.java") && e.getMessage().contains("NoSuchType"), e.getMessage());
    }

    @Test
    void refusesToAddAnExistingClassOrReplaceAMissingOne() {
        BundleRebuild rebuild = BundleRebuild.of(VERIFIER);
        assertThrows(IllegalArgumentException.class, () -> rebuild.add(MAIN_CLASS, "class X {}"));
        assertThrows(IllegalArgumentException.class, () -> rebuild.replace("io.gantry.verifier.internal.Nope", "class X {}"));
        assertThrows(IllegalArgumentException.class, () -> BundleRebuild.of("io.gantry.nope"));
    }

    private static String entry(JarFile jf, String name) throws IOException {
        assertNotNull(jf.getEntry(name), name);
        return new String(jf.getInputStream(jf.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }
}
