package io.gantry.cli.incident;

import io.gantry.pki.IntermediateRotation;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;

/**
 * The intermediate an operator names ({@code --intermediate}, by common name or hex serial),
 * found among the PKI folder's current and superseded intermediates.
 *
 * @param certificate its certificate
 * @param keyId its subject key identifier (hex): how the backend's registry names what it issued
 * @param current whether it is still the PKI's (and so, after a restart, the backend's) issuing CA
 */
record CompromisedIntermediate(X509Certificate certificate, String keyId, boolean current) {
    /** @throws IllegalArgumentException when no intermediate of the folder has that name or serial */
    static CompromisedIntermediate find(PkiDirectory pki, String nameOrSerial) throws Exception {
        X509Certificate issuing = pki.loadIntermediate().chain().get(0);
        List<X509Certificate> all = new ArrayList<>();
        all.add(issuing);
        all.addAll(superseded(IntermediateRotation.supersededDir(pki)));
        List<String> known = new ArrayList<>();
        for (X509Certificate c : all) {
            String cn = commonName(c);
            known.add(cn + " (serial " + c.getSerialNumber().toString(16) + ")");
            if (cn.equals(nameOrSerial) || c.getSerialNumber().toString(16).equals(nameOrSerial.toLowerCase(Locale.ROOT))) {
                return new CompromisedIntermediate(c, RevocationEndpoints.keyIdOf(c), c.equals(issuing));
            }
        }
        throw new IllegalArgumentException("no intermediate named or numbered " + nameOrSerial + " in " + pki.dir() + "; known: " + known);
    }

    String name() {
        return commonName(certificate);
    }

    private static List<X509Certificate> superseded(Path dir) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".p12")).sorted().toList()) {
                out.add(Pkcs12Files.load(p).chain().get(0));
            }
        }
        return out;
    }

    private static String commonName(X509Certificate c) {
        for (String rdn : c.getSubjectX500Principal().getName(X500Principal.RFC2253).split(",")) {
            if (rdn.startsWith("CN=")) {
                return rdn.substring(3);
            }
        }
        throw new IllegalStateException("intermediate without a CN: " + c.getSubjectX500Principal());
    }

    static void requireNotCurrent(CompromisedIntermediate i, String what) throws IOException {
        if (i.current()) {
            throw new IllegalStateException(i.name() + " is still the issuing CA: " + what + " would go on trusting it. Rotate first:"
                    + " 'gantry pki rotate-intermediate' and restart the backend (docs/incident-playbook.md)");
        }
    }
}
