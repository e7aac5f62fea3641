package io.gantry.backend.est;

import io.gantry.pki.IntermediateRotation;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.RevocationEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the backend needs to enroll devices: the online issuing CA (the intermediate, never the
 * root) and the root-signed list of retired intermediates. Read once at start: after
 * {@code gantry pki rotate-intermediate} or {@code retire-intermediate}, restart the backend.
 *
 * @param issuingCaKeyStore PKCS#12 with the intermediate's key and chain (intermediate, root)
 * @param issuingCaPasswordFile that store's password file
 * @param retiredIntermediatesCrl root-signed CRL of retired intermediates; may not exist (none retired)
 * @param revocation CRL and OCSP URLs written into issued certificates, {@code null} for none
 */
public record EnrollmentConfig(Path issuingCaKeyStore, Path issuingCaPasswordFile, Path retiredIntermediatesCrl,
        RevocationEndpoints revocation) {
    /** @throws NullPointerException if a path is null */
    public EnrollmentConfig {
        Objects.requireNonNull(issuingCaKeyStore, "issuingCaKeyStore");
        Objects.requireNonNull(issuingCaPasswordFile, "issuingCaPasswordFile");
        Objects.requireNonNull(retiredIntermediatesCrl, "retiredIntermediatesCrl");
    }

    /** @return the intermediate and retired-intermediates CRL of a PKI folder */
    public static EnrollmentConfig fromPki(PkiDirectory pki) throws IOException {
        return new EnrollmentConfig(pki.intermediateKeyStore(), Pkcs12Files.passwordFile(pki.intermediateKeyStore()),
                IntermediateRotation.retiredCrl(pki), pki.revocationEndpoints());
    }

    /** @throws IllegalArgumentException if the issuing CA's files are missing */
    public void validate() {
        if (!Files.isRegularFile(issuingCaKeyStore) || !Files.isRegularFile(issuingCaPasswordFile)) {
            throw new IllegalArgumentException("issuing CA key store or its password file not found: " + issuingCaKeyStore);
        }
    }
}
