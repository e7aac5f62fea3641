package io.gantry.backend.anomaly;

import io.gantry.backend.db.Database;
import io.gantry.backend.tls.ClientCertificateFilter;
import io.gantry.backend.tls.ClientIdentity;
import io.gantry.backend.tls.Role;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records which device certificate called from which address ({@code check_ins}, V22), after the
 * identity rule accepted the request: a row the first time a (device, serial, address) triple is
 * seen in a {@link #SAMPLING} period, so the table grows with distinct identities and addresses,
 * not with the polling rate. The memory of what was written is bounded ({@link #REMEMBERED}
 * triples, oldest forgotten first), and each backend node keeps its own. Never fails a request.
 */
@Priority(Priorities.AUTHORIZATION + 100)
public final class CheckInLog implements ContainerRequestFilter {
    /** A triple is written again after this long. */
    public static final Duration SAMPLING = Duration.ofMinutes(30);
    /** Triples remembered at most. */
    static final int REMEMBERED = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(CheckInLog.class);
    private final Database database;
    private final Clock clock;
    private final Map<String, Instant> written = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };
    @Context
    private HttpServletRequest servletRequest;

    /**
     * @param database where sightings go
     * @param clock their time
     */
    public CheckInLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof ClientIdentity id) || id.role() != Role.DEVICE) {
            return;
        }
        X509Certificate[] chain = (X509Certificate[]) request.getProperty(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE);
        String address = servletRequest == null ? null : servletRequest.getRemoteAddr();
        if (chain == null || chain.length == 0 || address == null) {
            return;
        }
        record(id.commonName(), chain[0].getSerialNumber().toString(16), address);
    }

    /** Writes the sighting unless the same triple was written within {@link #SAMPLING}. */
    void record(String device, String serial, String address) {
        Instant now = clock.instant();
        String key = device + '\0' + serial + '\0' + address;
        synchronized (written) {
            Instant last = written.get(key);
            if (last != null && now.isBefore(last.plus(SAMPLING))) {
                return;
            }
            written.remove(key);
            written.put(key, now);
        }
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO check_ins (seen_at, controller_id, serial, remote_address) VALUES (?, ?, ?, ?)")) {
                    ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    ps.setString(2, device);
                    ps.setString(3, serial);
                    ps.setString(4, address.length() > 128 ? address.substring(0, 128) : address);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not record the check-in of {} from {}: {}", device, address, e.toString());
        }
    }

    /** Deletes sightings older than {@code before}; @return how many */
    public static int deleteBefore(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM check_ins WHERE seen_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }
}
