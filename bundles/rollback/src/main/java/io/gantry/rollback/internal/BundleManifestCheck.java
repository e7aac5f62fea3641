package io.gantry.rollback.internal;

import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.verify.VerifiedPayload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Manifest;
import org.osgi.framework.Version;

/**
 * A bundle release must carry the bundle it names: the payload's Bundle-SymbolicName and
 * Bundle-Version must equal the signed release name and version, so a signed release cannot be
 * used to smuggle in a different bundle (mix-and-match). The whole payload is read through its
 * re-checking stream, so a staged copy changed since verification is refused before anything runs.
 * The manifest is the one the framework will read (central directory), and a jar whose local
 * headers say otherwise is refused ({@link JarEntryAgreement}).
 */
final class BundleManifestCheck {
    private BundleManifestCheck() {
    }

    static void requireMatches(VerifiedPayload payload, String name, Version version) throws InstallFailedException {
        Manifest mf;
        Path copy = null;
        try {
            // Read to the end: the payload stream re-checks the signed digest there, so staged bytes
            // changed after verification fail here, before the running bundle is stopped. The copy
            // gives random access: the manifest is read from the central directory, as Felix does.
            copy = Files.createTempFile("gantry-bundle-check", ".jar");
            try (InputStream in = payload.open()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            mf = JarEntryAgreement.requireAgreement(copy);
        } catch (IOException e) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload is not a readable jar, or not the verified bytes: " + e.getMessage(), false, e);
        } finally {
            deleteQuietly(copy);
        }
        if (mf == null) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload has no manifest", false, null);
        }
        String bsn = mf.getMainAttributes().getValue("Bundle-SymbolicName");
        String bver = mf.getMainAttributes().getValue("Bundle-Version");
        String plainBsn = bsn == null ? null : bsn.split(";")[0].trim();
        if (!name.equals(plainBsn) || bver == null || !version.equals(Version.parseVersion(bver.trim()))) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload is bundle " + plainBsn + " " + bver
                    + " but the release signs " + name + " " + version, false, null);
        }
    }

    private static void deleteQuietly(Path copy) {
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                // A leftover in the temp folder holds verified bytes only; nothing reads it again.
            }
        }
    }
}
