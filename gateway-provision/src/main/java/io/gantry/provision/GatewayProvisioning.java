package io.gantry.provision;

import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * Provisions a gateway home in an order that never wastes the one-time factory credential on a
 * home that would then fail: settings, trust root, credential and home are checked first; then
 * the identity is enrolled over EST; then trust and configuration are written.
 */
public final class GatewayProvisioning {
    private GatewayProvisioning() {
    }

    /** What was provisioned. */
    public record Result(Path home, String deviceId, X509Certificate certificate) {
    }

    /**
     * @param home the gateway home; must not hold an identity yet
     * @param settings the configuration
     * @param factoryCredential PKCS#12 of the one-time factory credential (password in {@code <file>.pass})
     * @param backendCa PEM of the root CA the backend's certificate chains to
     * @param trustRoot the release trust root ({@code trust-root.json}, signatures in {@code trust-root.sigs.json})
     * @throws ProvisionException with the stable reason; the factory credential is used only once all checks passed
     */
    public static Result provision(Path home, GatewaySettings settings, Path factoryCredential, Path backendCa, Path trustRoot)
            throws ProvisionException, InterruptedException {
        settings.validate();
        checkTrustRoot(trustRoot);
        GatewayHomeLayout layout = new GatewayHomeLayout(home);
        if (Files.exists(layout.identity())) {
            throw new ProvisionException(ProvisionError.HOME_NOT_EMPTY, layout.identity() + " exists: this home is provisioned "
                    + "already (enrolling again needs a new factory credential and an empty home)");
        }
        if (Files.exists(home) && !Files.isDirectory(home)) {
            throw new ProvisionException(ProvisionError.INVALID_SETTING, "--home " + home + " is not a folder");
        }
        ProtectedKeyStore factory;
        try {
            factory = Pkcs12Files.load(factoryCredential);
            PemCertificates.read(backendCa).stream().findFirst()
                    .orElseThrow(() -> new IOException("no certificate in " + backendCa));
        } catch (IOException | GeneralSecurityException e) {
            throw new ProvisionException(ProvisionError.CREDENTIAL_INVALID, "cannot read the factory credential "
                    + factoryCredential + " (password in " + Pkcs12Files.passwordFile(factoryCredential) + ") or the backend CA "
                    + backendCa + ": " + e.getMessage(), e);
        }
        EstEnroller.Enrollment enrolled = new EstEnroller(settings.backend(), backendCa).enroll(factory, false);
        try {
            Pkcs12Files.write(layout.identity(), enrolled.credential());
            layout.installTrust(backendCa, trustRoot);
            layout.writeConfiguration(settings);
        } catch (IOException | GeneralSecurityException e) {
            throw new ProvisionException(ProvisionError.WRITE_FAILED, "cannot write the gateway home " + home + ": " + e.getMessage(), e);
        }
        return new Result(layout.home(), EstEnroller.commonName(enrolled.certificate().getSubjectX500Principal()),
                enrolled.certificate());
    }

    /** @throws ProvisionException {@link ProvisionError#TRUST_ROOT_INVALID} unless the file parses as a signed trust root */
    static void checkTrustRoot(Path trustRoot) throws ProvisionException {
        try {
            if (!Files.isRegularFile(trustRoot)) {
                throw new IOException("not a file");
            }
            TrustRootFiles.Signed signed = TrustRootFiles.read(trustRoot);
            TrustRootJson.parse(signed.bytes());
            if (signed.signatures().isEmpty()) {
                throw new ProvisionException(ProvisionError.TRUST_ROOT_INVALID, trustRoot + " carries no signature (expected "
                        + TrustRootFiles.signaturesOf(trustRoot) + ")");
            }
        } catch (IOException | MalformedReleaseException e) {
            throw new ProvisionException(ProvisionError.TRUST_ROOT_INVALID, trustRoot + ": " + e.getMessage(), e);
        }
    }
}
