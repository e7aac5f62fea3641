package io.gantry.backend.est;

import io.gantry.backend.failure.EstRefusal;
import io.gantry.backend.tls.ClientCertificateCheck.Refusal;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.PathAccessRule;
import io.gantry.backend.tls.Role;
import jakarta.ws.rs.core.PathSegment;
import java.util.List;

/**
 * Who may call which EST operation, decided from the verified client certificate before any
 * resource runs: {@code cacerts} any certificate with a role, {@code simpleenroll} only a factory
 * credential, {@code simplereenroll} only a device certificate.
 */
public final class EstAccessRule implements PathAccessRule {
    /** @return whether the path is under {@code /.well-known/est/} */
    @Override
    public boolean covers(List<PathSegment> path) {
        return path.size() >= 2 && path.get(0).getPath().equals(".well-known") && path.get(1).getPath().equals("est");
    }

    /** @return why {@code identity} may not call this EST path, or {@code null} if it may */
    @Override
    public Refusal check(List<PathSegment> path, ClientIdentity identity) {
        String operation = path.size() == 3 ? path.get(2).getPath() : "";
        if (operation.equals("simpleenroll") && identity.role() != Role.FACTORY) {
            return new Refusal(EstRefusal.NOT_A_FACTORY_CREDENTIAL, "simpleenroll needs a one-time factory credential (OU=factory)");
        }
        if (operation.equals("simplereenroll") && identity.role() != Role.DEVICE) {
            return new Refusal(EstRefusal.NOT_A_DEVICE, "simplereenroll needs the device's current certificate (OU=devices)");
        }
        return null;
    }
}
