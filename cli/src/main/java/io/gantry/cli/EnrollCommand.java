package io.gantry.cli;

import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.provision.EstEnroller;
import io.gantry.provision.ProvisionException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An EST client (RFC 7030) for manufacturing and tests ({@link EstEnroller}): generates a P-256
 * key, sends only its CSR ({@code CN=<id>}, the id taken from the presented certificate) to
 * {@code simpleenroll} (with a factory credential) or {@code simplereenroll} ({@code --renew}, with
 * the current device store), and writes key and chain (device, intermediate from {@code cacerts})
 * to a new PKCS#12. A gateway home is provisioned in one step by {@code gantry gateway provision}.
 */
@Command(name = "enroll", description = "Enroll (factory credential) or renew (--renew, device store) a device over EST.")
final class EnrollCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443")
    URI server;
    @Option(names = "--trust", required = true, description = "root CA PEM the backend's certificate must chain to")
    Path trust;
    @Option(names = "--credential", required = true, description = "PKCS#12 presented over TLS (password in <file>.pass)")
    Path credential;
    @Option(names = "--out", required = true, description = "new PKCS#12 for the issued key and chain (never overwritten)")
    Path out;
    @Option(names = "--renew", description = "simplereenroll with a device store instead of simpleenroll with a factory credential")
    boolean renew;

    @Override
    public Integer call() throws Exception {
        ProtectedKeyStore presented = Pkcs12Files.load(credential);
        EstEnroller.Enrollment issued;
        try {
            issued = new EstEnroller(server, trust).enroll(presented, renew);
        } catch (ProvisionException e) {
            System.err.println("gantry: enrollment failed: " + e.getMessage());
            return 1;
        }
        Pkcs12Files.write(out, issued.credential());
        X509Certificate leaf = issued.certificate();
        System.out.println("enrolled " + leaf.getSubjectX500Principal().getName() + " serial "
                + leaf.getSerialNumber().toString(16) + " issued by " + leaf.getIssuerX500Principal().getName() + " into " + out);
        return 0;
    }
}
