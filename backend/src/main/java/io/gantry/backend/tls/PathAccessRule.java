package io.gantry.backend.tls;

import jakarta.ws.rs.core.PathSegment;
import java.util.List;

/**
 * Who may call a family of paths, decided by {@link ClientCertificateFilter} from the verified
 * client certificate before any resource runs. A protocol package (EST) supplies its rule, so the
 * identity filter does not depend on the protocols it guards.
 */
public interface PathAccessRule {
    /** @return whether this rule decides {@code path} */
    boolean covers(List<PathSegment> path);

    /** @return why {@code identity} may not call {@code path}, or {@code null} if it may */
    ClientCertificateCheck.Refusal check(List<PathSegment> path, ClientIdentity identity);
}
