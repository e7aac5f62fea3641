package io.gantry.backend.console;

import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.tls.ClientCertificateCheck;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.PathAccessRule;
import io.gantry.backend.tls.Role;
import jakarta.ws.rs.core.PathSegment;
import java.util.List;

/**
 * {@code /console/...} is for operator certificates only, exactly like {@code /rest/...}: the login
 * is the TLS handshake, and a device or factory certificate is refused ({@code WRONG_ROLE}) before
 * any file is served.
 */
public final class ConsoleAccessRule implements PathAccessRule {
    @Override
    public boolean covers(List<PathSegment> path) {
        return !path.isEmpty() && path.get(0).getPath().equals(ConsoleResource.ROOT);
    }

    @Override
    public ClientCertificateCheck.Refusal check(List<PathSegment> path, ClientIdentity identity) {
        return identity.role() == Role.OPERATOR ? null
                : new ClientCertificateCheck.Refusal(SecurityEventCode.WRONG_ROLE, "the console is for operator certificates");
    }
}
