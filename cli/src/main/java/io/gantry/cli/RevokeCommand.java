package io.gantry.cli;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.revocation.CertificateRegistry;
import io.gantry.backend.revocation.IssuanceLogImport;
import io.gantry.backend.revocation.RevocationReason;
import io.gantry.backend.revocation.Serials;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Emergency revocation on the backend's database, offline (the backend stopped: the embedded H2
 * database holds a file lock while it runs; a running backend takes {@code POST /rest/v1/certificates/revocations}).
 * The PKI's {@code issued.log} is imported first, so certificates issued by the CLI are known.
 */
@Command(name = "revoke", description = "Revoke certificates in the backend database (backend stopped).")
final class RevokeCommand implements Callable<Integer> {
    @Option(names = "--pki", required = true, description = "PKI folder from 'pki init'")
    Path pki;
    @Option(names = "--backend-data", required = true, description = "the backend's --data folder")
    Path data;
    @Option(names = "--serial", description = "hex serial to revoke (repeatable)")
    List<String> serials = new ArrayList<>();
    @Option(names = "--file", description = "file of hex serials, one a line ('#' comments)")
    Path file;
    @Option(names = "--all-issued-by-intermediate", description = "every certificate the current intermediate issued")
    boolean allOfIntermediate;
    @Option(names = "--reason", defaultValue = "unspecified", description = "RFC 5280 reason: keyCompromise, cACompromise, "
            + "superseded, cessationOfOperation, affiliationChanged, privilegeWithdrawn, unspecified")
    String reason;
    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Override
    public Integer call() throws Exception {
        RevocationReason why = RevocationReason.parse(reason);
        List<String> wanted = new ArrayList<>();
        for (String s : serials) {
            wanted.add(Serials.parse(s));
        }
        if (file != null) {
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    wanted.add(Serials.parse(t));
                }
            }
        }
        if (wanted.isEmpty() && !allOfIntermediate) {
            System.err.println("gantry revoke: give --serial, --file or --all-issued-by-intermediate");
            return 2;
        }
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        String actor = "cli " + System.getProperty("user.name");
        try (Database db = Database.open(database.settings(), data.toAbsolutePath().resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, new SecurityEventRepository(), Clock.systemUTC(), Long.MAX_VALUE);
            CertificateRegistry registry = new CertificateRegistry(db, Clock.systemUTC(), events);
            List<X509Certificate> trusted = new ArrayList<>(PemCertificates.read(dir.rootCaPem()));
            X509Certificate intermediate = dir.loadIntermediate().chain().get(0);
            trusted.add(intermediate);
            new IssuanceLogImport(dir.issuanceLog(), registry, trusted).refresh();
            int failures = 0;
            for (String serial : wanted) {
                CertificateRegistry.Outcome o = registry.revoke(serial, why, actor);
                System.out.println(serial + " " + o);
                failures += o == CertificateRegistry.Outcome.UNKNOWN ? 1 : 0;
            }
            if (allOfIntermediate) {
                List<String> all = registry.revokeAllIssuedBy(intermediate, why, actor);
                all.forEach(s -> System.out.println(s + " REVOKED"));
                System.out.println("revoked " + all.size() + " certificates issued by " + intermediate.getSubjectX500Principal());
            }
            return failures == 0 ? 0 : 1;
        }
    }
}
