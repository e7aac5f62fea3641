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

    /** A payload copied out of the verifier's staging and checked: the bundle it is. */
    record StagedJar(Path jar, String symbolicName, Version version) {
    }

    static void requireMatches(VerifiedPayload payload, String name, Version version) throws InstallFailedException {
        Path copy = null;
        try {
            copy = Files.createTempFile("gantry-bundle-check", ".jar");
            requireMatches(stage(payload, copy), name, version);
        } catch (IOException e) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "no room to check the payload: " + e.getMessage(), false, e);
        } finally {
            deleteQuietly(copy);
        }
    }

    static void requireMatches(StagedJar staged, String name, Version version) throws InstallFailedException {
        if (!name.equals(staged.symbolicName()) || !version.equals(staged.version())) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload is bundle " + staged.symbolicName() + " "
                    + staged.version() + " but the release signs " + name + " " + version, false, null);
        }
    }

    /**
     * Copies the payload to {@code copy} through its re-checking stream and reads the bundle it
     * is from the manifest the framework will read.
     */
    static StagedJar stage(VerifiedPayload payload, Path copy) throws InstallFailedException {
        Manifest mf;
        try {
            // Read to the end: the payload stream re-checks the signed digest there, so staged bytes
            // changed after verification fail here, before anything is handed on. The copy gives
            // random access: the manifest is read from the central directory, as Felix does.
            try (InputStream in = payload.open()) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            mf = JarEntryAgreement.requireAgreement(copy);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload is not a readable jar, or not the verified bytes: " + e.getMessage(), false, e);
        }
        String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
        String bver = mf == null ? null : mf.getMainAttributes().getValue("Bundle-Version");
        if (bsn == null || bver == null) {
            deleteQuietly(copy);
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload " + payload.info().name()
                    + " is not a bundle (no Bundle-SymbolicName or Bundle-Version)", false, null);
        }
        try {
            return new StagedJar(copy, bsn.split(";")[0].trim(), Version.parseVersion(bver.trim()));
        } catch (IllegalArgumentException e) {
            deleteQuietly(copy);
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "payload has a malformed Bundle-Version: " + bver, false, e);
        }
    }

    static void deleteQuietly(Path copy) {
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                // A leftover in the temp folder holds verified bytes only; nothing reads it again.
            }
        }
    }
}
