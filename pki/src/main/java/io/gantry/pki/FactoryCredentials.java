package io.gantry.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * One-time factory credentials for first enrollment over EST: a certificate
 * {@code CN=<id>,OU=factory,O=Gantry} with clientAuth and a short validity, issued by the
 * intermediate in a manufacturing batch and written to {@code factory/<id>.p12} (password in
 * {@code .p12.pass}). The backend accepts it for exactly one {@code simpleenroll} of that id.
 *
 * <p>The CLI generates this key, so it exists outside the device for a while; that is acceptable
 * only because the credential works once, for one id, for at most its validity. The device's real
 * key is born in its keystore and only its CSR leaves it.
 */
public final class FactoryCredentials {
    private FactoryCredentials() {
    }

    /** @return {@code factory/<id>.p12} in {@code pki} */
    public static Path keyStore(PkiDirectory pki, String deviceId) {
        return pki.dir().resolve("factory").resolve(SubjectNames.requireValidId(deviceId) + ".p12");
    }

    /**
     * Issues the factory credential of {@code deviceId}.
     *
     * @param validity how long it may be used (positive, at most {@link CertificateProfile#DEVICE_VALIDITY})
     * @return the key store path
     * @throws FileAlreadyExistsException if the id already has a factory credential
     */
    public static Path issue(PkiDirectory pki, String deviceId, Duration validity) throws IOException, GeneralSecurityException {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(CertificateProfile.DEVICE_VALIDITY) > 0) {
            throw new IllegalArgumentException("factory credential validity must be positive and at most 5 years: " + validity);
        }
        Path store = keyStore(pki, deviceId);
        if (Files.exists(store)) {
            throw new FileAlreadyExistsException(store.toString(), null, "device " + deviceId + " already has a factory credential");
        }
        Pkcs12Files.write(store, pki.loadIntermediateCa().issueFactory(deviceId, validity));
        return store;
    }
}
