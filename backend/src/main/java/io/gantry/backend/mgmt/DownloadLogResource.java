package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.pki.OperatorRole;
import io.gantry.backend.db.DownloadLogRepository;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/** {@code /rest/v1/download-log/verification}: the hash chain of the download log, recomputed now. */
@Singleton
@Path("rest/v1/download-log")
@Produces(MediaType.APPLICATION_JSON)
public final class DownloadLogResource {
    private static final DownloadLogRepository LOG = new DownloadLogRepository();
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public DownloadLogResource(ManagementServices services) {
        this.services = services;
    }

    /** The result of a chain check. */
    public record Verification(long entries, boolean intact, Long firstBroken, String reason) {
    }

    /** @return whether every link holds, and if not the first entry that does not fit */
    @GET
    @Path("verification")
    @RequiresRole(OperatorRole.VIEWER)
    public Verification verify() throws SQLException {
        DownloadLogRepository.Verification v = services.database().inTransaction(LOG::verify);
        return new Verification(v.entries(), v.intact(), v.intact() ? null : v.firstBroken().getAsLong(), v.reason());
    }
}
