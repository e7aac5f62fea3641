package io.gantry.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Intermediate compromise recovery, offline with the root key (CLI only):
 *
 * <ol>
 *   <li>{@link #rotate}: the root issues a new intermediate, which becomes
 *       {@code intermediate/intermediate.p12}; the old one moves to {@code intermediate/superseded/}.
 *       The backend's TLS certificate is reissued by the new one (same names; the old store moves to
 *       {@code server/superseded/}). Certificates under the old one still chain to the root, so devices
 *       keep working and can re-enroll (EST simplereenroll) onto the new one after the backend restarts.</li>
 *   <li>{@link #retireSuperseded}: the root signs {@code root/retired-intermediates.crl} listing every
 *       superseded intermediate; a backend started with it refuses any client chain through them
 *       ({@link RetiredIntermediates}).</li>
 * </ol>
 */
public final class IntermediateRotation {
    /** File name of the root-signed CRL of retired intermediates, under {@code root/}. */
    public static final String RETIRED_CRL = "retired-intermediates.crl";

    private IntermediateRotation() {
    }

    /** @return {@code root/retired-intermediates.crl} */
    public static Path retiredCrl(PkiDirectory pki) {
        return pki.dir().resolve("root").resolve(RETIRED_CRL);
    }

    /** @return {@code intermediate/superseded/} */
    public static Path supersededDir(PkiDirectory pki) {
        return pki.dir().resolve("intermediate/superseded");
    }

    /**
     * Issues a new intermediate from the root and makes it the issuing CA.
     *
     * @return the new intermediate's certificate
     */
    public static X509Certificate rotate(PkiDirectory pki, Clock clock) throws IOException, GeneralSecurityException {
        CertificateAuthority root = rootCa(pki, clock);
        X509Certificate old = pki.loadIntermediate().chain().get(0);
        Path superseded = Files.createDirectories(supersededDir(pki));
        int generation = supersededStores(superseded).size() + 2;
        CertificateAuthority next = root.issueIntermediate(PkiDirectory.INTERMEDIATE_NAME + "-" + generation);
        Path current = pki.intermediateKeyStore();
        Path staged = current.resolveSibling("intermediate-next.p12");
        Pkcs12Files.write(staged, new IssuedCredential(next.privateKey(), List.of(next.certificate(), root.certificate())));
        // Old store aside first, then the staged one in place: a crash leaves either the old
        // issuing CA in place or the new one staged beside its superseded predecessor.
        Path aside = superseded.resolve("intermediate-" + old.getSerialNumber().toString(16) + ".p12");
        Files.move(current, aside);
        Files.move(Pkcs12Files.passwordFile(current), Pkcs12Files.passwordFile(aside));
        Files.move(staged, current, StandardCopyOption.ATOMIC_MOVE);
        Files.move(Pkcs12Files.passwordFile(staged), Pkcs12Files.passwordFile(current), StandardCopyOption.ATOMIC_MOVE);
        reissueServer(pki, next);
        return next.certificate();
    }

    /** The backend's TLS certificate moves to the new intermediate too, with the same names. */
    private static void reissueServer(PkiDirectory pki, CertificateAuthority next) throws IOException, GeneralSecurityException {
        X509Certificate old = pki.loadServer().chain().get(0);
        List<String> sans = new ArrayList<>();
        for (List<?> san : old.getSubjectAlternativeNames()) {
            sans.add(String.valueOf(san.get(1)));
        }
        Path current = pki.serverKeyStore();
        Path staged = current.resolveSibling("server-next.p12");
        Pkcs12Files.write(staged, next.issueServer(PkiDirectory.SERVER_NAME, sans));
        Path aside = Files.createDirectories(current.resolveSibling("superseded"))
                .resolve("server-" + old.getSerialNumber().toString(16) + ".p12");
        Files.move(current, aside);
        Files.move(Pkcs12Files.passwordFile(current), Pkcs12Files.passwordFile(aside));
        Files.move(staged, current, StandardCopyOption.ATOMIC_MOVE);
        Files.move(Pkcs12Files.passwordFile(staged), Pkcs12Files.passwordFile(current), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Revokes every superseded intermediate: writes a root-signed CRL of them (reason
     * superseded, next update in one year) to {@link #retiredCrl}, replacing an older one.
     *
     * @return the serial numbers listed
     */
    public static List<BigInteger> retireSuperseded(PkiDirectory pki, Clock clock) throws IOException, GeneralSecurityException {
        CertificateAuthority root = rootCa(pki, clock);
        List<BigInteger> serials = new ArrayList<>();
        for (Path store : supersededStores(supersededDir(pki))) {
            serials.add(Pkcs12Files.load(store).chain().get(0).getSerialNumber());
        }
        Instant now = clock.instant();
        X509v2CRLBuilder crl = new X509v2CRLBuilder(X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(now));
        crl.setNextUpdate(Date.from(now.plus(java.time.Duration.ofDays(365))));
        for (BigInteger serial : serials) {
            crl.addCRLEntry(serial, Date.from(now), CRLReason.superseded);
        }
        X509CRL signed;
        try {
            crl.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root.certificate()));
            crl.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            signed = new JcaX509CRLConverter().getCRL(crl.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(X509Signing.BC).build(root.privateKey())));
        } catch (OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException("cannot sign the retired-intermediates CRL", e);
        }
        Path target = retiredCrl(pki);
        Path staged = target.resolveSibling(RETIRED_CRL + ".tmp");
        Files.write(staged, signed.getEncoded());
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return serials;
    }

    private static CertificateAuthority rootCa(PkiDirectory pki, Clock clock) throws IOException, GeneralSecurityException {
        ProtectedKeyStore root = pki.loadRoot();
        return new CertificateAuthority(root.privateKey(), root.chain().get(0), clock, pki.revocationEndpoints(), pki.issuanceLog());
    }

    /** @return the superseded intermediate stores in {@code dir}, sorted (none if it does not exist) */
    private static List<Path> supersededStores(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".p12")).sorted().toList();
        }
    }
}
