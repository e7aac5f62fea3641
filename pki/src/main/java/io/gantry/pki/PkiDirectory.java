package io.gantry.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The Gantry PKI as a folder:
 *
 * <pre>
 * root/root.p12              offline root key + certificate (only the CLI loads it)
 * root/root-ca.pem           root certificate: the trust anchor every party gets
 * intermediate/intermediate.p12   issuing CA key + chain (intermediate, root)
 * server/server.p12          TLS server key + chain (server, intermediate)
 * operators/&lt;name&gt;.p12       operator client key + chain (operator, intermediate)
 * devices/&lt;id&gt;.p12           device client key + chain (device, intermediate)
 * devices/&lt;id&gt;.pem           chain issued from a device's CSR (the key stays on the device)
 * revocation-url             base URL of CRL and OCSP written into end-entity certificates
 * issued.log                 every certificate issued here ({@link IssuanceLogFile}); the backend imports it
 * </pre>
 *
 * Each {@code .p12} has its random password beside it in {@code <file>.p12.pass} (mode 0600).
 * Nothing is ever overwritten: {@link #create} refuses an existing root and each device id gets
 * one certificate.
 */
public final class PkiDirectory {
    /** Common name of the root CA. */
    public static final String ROOT_NAME = "gantry-root-ca";
    /** Common name of the intermediate (issuing) CA. */
    public static final String INTERMEDIATE_NAME = "gantry-intermediate-ca";
    /** Common name of the backend's TLS certificate. */
    public static final String SERVER_NAME = "gantry-backend";
    /** Subject alternative names of the server certificate when none are given. */
    public static final List<String> DEFAULT_SERVER_SANS = List.of("localhost", "127.0.0.1");

    private final Path dir;
    private final Clock clock;

    private PkiDirectory(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Opens an existing PKI folder (nothing is read until a method needs it). */
    public static PkiDirectory open(Path dir, Clock clock) {
        return new PkiDirectory(dir, clock);
    }

    /** Creates a PKI with the {@link #DEFAULT_SERVER_SANS} and the system clock. */
    public static PkiDirectory create(Path dir, List<String> serverSans) throws IOException, GeneralSecurityException {
        return create(dir, serverSans, Clock.systemUTC());
    }

    /**
     * Creates root, intermediate and server credentials in {@code dir}.
     *
     * @param serverSans DNS names and IP literals for the server certificate
     * @throws FileAlreadyExistsException if {@code dir} already holds a root
     */
    public static PkiDirectory create(Path dir, List<String> serverSans, Clock clock) throws IOException, GeneralSecurityException {
        return create(dir, serverSans, RevocationEndpoints.DEFAULT, clock);
    }

    /**
     * Creates root, intermediate and server credentials in {@code dir}; end-entity certificates
     * issued from it carry {@code revocation}'s CRL and OCSP URLs (kept in {@code revocation-url}).
     *
     * @throws FileAlreadyExistsException if {@code dir} already holds a root
     */
    public static PkiDirectory create(Path dir, List<String> serverSans, RevocationEndpoints revocation, Clock clock)
            throws IOException, GeneralSecurityException {
        PkiDirectory pki = new PkiDirectory(dir, clock);
        if (Files.exists(pki.rootKeyStore()) || Files.exists(pki.rootCaPem())) {
            throw new FileAlreadyExistsException(pki.rootKeyStore().toString(), null, "refusing to replace an existing root CA");
        }
        Files.createDirectories(pki.dir);
        Files.writeString(pki.revocationUrlFile(), revocation.base() + "\n", java.nio.charset.StandardCharsets.US_ASCII,
                java.nio.file.StandardOpenOption.CREATE_NEW);
        CertificateAuthority root = CertificateAuthority.createRoot(ROOT_NAME, clock, revocation, pki.issuanceLog());
        CertificateAuthority intermediate = root.issueIntermediate(INTERMEDIATE_NAME);
        Pkcs12Files.write(pki.rootKeyStore(), new IssuedCredential(root.privateKey(), List.of(root.certificate())));
        PemCertificates.write(pki.rootCaPem(), List.of(root.certificate()));
        Pkcs12Files.write(pki.intermediateKeyStore(),
                new IssuedCredential(intermediate.privateKey(), List.of(intermediate.certificate(), root.certificate())));
        Pkcs12Files.write(pki.serverKeyStore(), intermediate.issueServer(SERVER_NAME, serverSans));
        return pki;
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /** @return {@code revocation-url} */
    public Path revocationUrlFile() {
        return dir.resolve("revocation-url");
    }

    /** @return the CRL and OCSP base this PKI writes into certificates ({@link RevocationEndpoints#DEFAULT} if unset) */
    public RevocationEndpoints revocationEndpoints() throws IOException {
        Path f = revocationUrlFile();
        return Files.exists(f) ? RevocationEndpoints.of(Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII))
                : RevocationEndpoints.DEFAULT;
    }

    /** @return {@code issued.log}: every certificate issued from this folder */
    public Path issuanceLogFile() {
        return dir.resolve("issued.log");
    }

    /** @return the log this folder's CAs record issuance in */
    public IssuanceLogFile issuanceLog() {
        return new IssuanceLogFile(issuanceLogFile());
    }

    /** @return {@code root/root.p12} */
    public Path rootKeyStore() {
        return dir.resolve("root/root.p12");
    }

    /** @return {@code root/root-ca.pem}, the trust anchor */
    public Path rootCaPem() {
        return dir.resolve("root/root-ca.pem");
    }

    /** @return {@code intermediate/intermediate.p12} */
    public Path intermediateKeyStore() {
        return dir.resolve("intermediate/intermediate.p12");
    }

    /** @return {@code server/server.p12} */
    public Path serverKeyStore() {
        return dir.resolve("server/server.p12");
    }

    /** @return {@code devices/<id>.p12} */
    public Path deviceKeyStore(String deviceId) {
        return dir.resolve("devices").resolve(SubjectNames.requireValidId(deviceId) + ".p12");
    }

    /** @return {@code devices/<id>.pem} */
    public Path deviceCertificatePem(String deviceId) {
        return dir.resolve("devices").resolve(SubjectNames.requireValidId(deviceId) + ".pem");
    }

    /** @return {@code backend/<name>.p12}: a push identity's key store */
    public Path pushIdentityKeyStore(String name) {
        return dir.resolve("backend").resolve(SubjectNames.requireValidId(name) + ".p12");
    }

    /**
     * Issues the backend's push identity {@code CN=backend:<name>,OU=backend} into
     * {@code backend/<name>.p12} (+ {@code .pass}); returns its path.
     *
     * @throws java.nio.file.FileAlreadyExistsException if that key store exists
     */
    public Path issuePushIdentity(String name) throws IOException, GeneralSecurityException {
        Path store = pushIdentityKeyStore(name);
        Pkcs12Files.write(store, loadIntermediateCa().issuePushIdentity(name));
        return store;
    }

    /** @return a push identity's key store */
    public ProtectedKeyStore loadPushIdentity(String name) throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(pushIdentityKeyStore(name));
    }

    /** @return {@code operators/<name>.p12} */
    public Path operatorKeyStore(String operatorName) {
        return dir.resolve("operators").resolve(SubjectNames.requireValidId(operatorName) + ".p12");
    }

    /**
     * Issues a device key and certificate into {@code devices/<id>.p12}.
     *
     * @return the key store path
     * @throws FileAlreadyExistsException if the device already has a certificate
     */
    public Path issueDevice(String deviceId) throws IOException, GeneralSecurityException {
        return issueDevice(deviceId, CertificateProfile.DEVICE_VALIDITY);
    }

    /** As {@link #issueDevice(String)}, with a chosen validity. */
    public Path issueDevice(String deviceId, java.time.Duration validity) throws IOException, GeneralSecurityException {
        requireNoDeviceCertificate(deviceId);
        Path store = deviceKeyStore(deviceId);
        Pkcs12Files.write(store, loadIntermediateCa().issueDevice(deviceId, validity));
        return store;
    }

    /**
     * Issues a device certificate for the key in {@code csr} and writes the chain to {@code devices/<id>.pem}.
     *
     * @return the chain, device certificate first
     * @throws CsrRejectedException if the CSR's signature, key or CN is wrong
     * @throws FileAlreadyExistsException if the device already has a certificate
     */
    public List<X509Certificate> issueDeviceFromCsr(String deviceId, PKCS10CertificationRequest csr)
            throws IOException, GeneralSecurityException {
        requireNoDeviceCertificate(deviceId);
        List<X509Certificate> chain = CsrIssuance.issueDevice(loadIntermediateCa(), csr, deviceId);
        PemCertificates.write(deviceCertificatePem(deviceId), chain);
        return chain;
    }

    /**
     * Issues an operator key and certificate with every {@link OperatorRole} into
     * {@code operators/<name>.p12}; returns its path.
     */
    public Path issueOperator(String operatorName) throws IOException, GeneralSecurityException {
        return issueOperator(operatorName, OperatorRole.values());
    }

    /**
     * Issues an operator key and certificate carrying exactly {@code roles} into
     * {@code operators/<name>.p12} (replacing an earlier one of that name); returns its path.
     *
     * @throws IllegalArgumentException without a role
     */
    public Path issueOperator(String operatorName, OperatorRole... roles) throws IOException, GeneralSecurityException {
        if (roles.length == 0) {
            throw new IllegalArgumentException("an operator certificate needs at least one role");
        }
        Path store = operatorKeyStore(operatorName);
        Pkcs12Files.write(store, loadIntermediateCa().issueOperator(operatorName, java.util.EnumSet.copyOf(java.util.List.of(roles))));
        return store;
    }

    /** @return the root key store (the offline key: only the CLI should call this) */
    public ProtectedKeyStore loadRoot() throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(rootKeyStore());
    }

    /** @return the intermediate key store */
    public ProtectedKeyStore loadIntermediate() throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(intermediateKeyStore());
    }

    /** @return the server key store */
    public ProtectedKeyStore loadServer() throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(serverKeyStore());
    }

    /** @return a device's key store */
    public ProtectedKeyStore loadDevice(String deviceId) throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(deviceKeyStore(deviceId));
    }

    /** @return an operator's key store */
    public ProtectedKeyStore loadOperator(String operatorName) throws IOException, GeneralSecurityException {
        return Pkcs12Files.load(operatorKeyStore(operatorName));
    }

    /** @return the root certificate from {@code root/root-ca.pem} */
    public X509Certificate rootCertificate() throws IOException, GeneralSecurityException {
        return PemCertificates.read(rootCaPem()).get(0);
    }

    /** @return the issuing CA, loaded from {@code intermediate/intermediate.p12} */
    public CertificateAuthority loadIntermediateCa() throws IOException, GeneralSecurityException {
        ProtectedKeyStore ks = loadIntermediate();
        return new CertificateAuthority(ks.privateKey(), ks.chain().get(0), clock, revocationEndpoints(), issuanceLog());
    }

    private void requireNoDeviceCertificate(String deviceId) throws FileAlreadyExistsException {
        if (Files.exists(deviceKeyStore(deviceId)) || Files.exists(deviceCertificatePem(deviceId))) {
            throw new FileAlreadyExistsException(deviceKeyStore(deviceId).toString(), null,
                    "device " + deviceId + " already has a certificate");
        }
    }
}
