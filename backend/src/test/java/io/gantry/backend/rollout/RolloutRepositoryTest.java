package io.gantry.backend.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate lookup of a device start (two indexed lookups instead of a LIKE over every certificate), on H2 and PostgreSQL. */
class RolloutRepositoryTest {
    @TempDir
    Path dir;
    RolloutFleet f;
    final RolloutRepository repository = new RolloutRepository();
    int serial;

    @BeforeEach
    void open() throws Exception {
        f = new RolloutFleet(dir.resolve("db"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void newestGoodCertificateOfTheExactSubjectOrASubjectStartingWithTheCommonName() throws Exception {
        Instant now = f.clock.instant();
        certificate("CN=dev-1", "GOOD", now.plus(Duration.ofDays(10)));
        certificate("CN=dev-1,OU=devices,O=Gantry", "GOOD", now.plus(Duration.ofDays(20)));
        certificate("CN=dev-1,OU=devices,O=Gantry", "REVOKED", now.plus(Duration.ofDays(90)));
        // Neighbours in sort order that are other devices: never counted.
        certificate("CN=dev-10,OU=devices", "GOOD", now.plus(Duration.ofDays(91)));
        certificate("CN=dev-1-a,OU=devices", "GOOD", now.plus(Duration.ofDays(92)));
        certificate("CN=dev-1-", "GOOD", now.plus(Duration.ofDays(93)));
        certificate("CN=dev-1.b", "GOOD", now.plus(Duration.ofDays(94)));
        certificate("CN=dev-2", "GOOD", now.plus(Duration.ofDays(30)));
        certificate("CN=dev-3,OU=devices", "GOOD", now.plus(Duration.ofDays(40)));

        assertEquals(Optional.of(now.plus(Duration.ofDays(20))), expiry("dev-1"));
        assertEquals(Optional.of(now.plus(Duration.ofDays(30))), expiry("dev-2"), "exact subject only");
        assertEquals(Optional.of(now.plus(Duration.ofDays(40))), expiry("dev-3"), "prefixed subject only");
        assertEquals(Optional.empty(), expiry("dev-4"));
        assertEquals(Optional.empty(), expiry("dev"), "a shorter id is another device");
    }

    @Test
    void patternCharactersInTheIdMatchOnlyThemselves() throws Exception {
        Instant now = f.clock.instant();
        certificate("CN=a_b,OU=devices", "GOOD", now.plus(Duration.ofDays(5)));
        certificate("CN=axb,OU=devices", "GOOD", now.plus(Duration.ofDays(50)));
        certificate("CN=a%,OU=devices", "GOOD", now.plus(Duration.ofDays(6)));
        certificate("CN=a%z,OU=devices", "GOOD", now.plus(Duration.ofDays(60)));

        assertEquals(Optional.of(now.plus(Duration.ofDays(5))), expiry("a_b"));
        assertEquals(Optional.of(now.plus(Duration.ofDays(6))), expiry("a%"));
    }

    private Optional<Instant> expiry(String id) throws Exception {
        return f.db.inTransaction(c -> repository.certificateExpiry(c, id));
    }

    private void certificate(String subject, String status, Instant notAfter) throws Exception {
        f.db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO issued_certificates (serial, subject, issuer, issuer_key_id, "
                    + "role, not_before, not_after, status, sha256, certificate, revoked_at, reason) VALUES (?, ?, 'CN=ca', 'k', "
                    + "'device', ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, "s" + serial++);
                ps.setString(2, subject);
                ps.setObject(3, OffsetDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC));
                ps.setObject(4, OffsetDateTime.ofInstant(notAfter, ZoneOffset.UTC));
                ps.setString(5, status);
                ps.setString(6, "0".repeat(64));
                ps.setBytes(7, new byte[] {0});
                boolean revoked = status.equals("REVOKED");
                if (revoked) {
                    ps.setObject(8, OffsetDateTime.ofInstant(f.clock.instant(), ZoneOffset.UTC));
                    ps.setString(9, "unspecified");
                } else {
                    ps.setNull(8, Types.TIMESTAMP_WITH_TIMEZONE);
                    ps.setNull(9, Types.VARCHAR);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }
}
