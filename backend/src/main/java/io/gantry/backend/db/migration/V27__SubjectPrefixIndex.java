package io.gantry.backend.db.migration;

import io.gantry.backend.db.Dialect;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The rollout scheduler looks up a device's newest GOOD certificate by subject prefix
 * ({@code CN=<id>,...}) at every device start, as a byte-wise range. H2 compares strings by code
 * point, so its index {@code issued_by_subject_expiry} (V21) already serves that range. PostgreSQL
 * compares by the database's collation, which a byte-wise range cannot use: it gets an index in
 * {@code text_pattern_ops}. In Java because the operator class is PostgreSQL's own.
 */
public final class V27__SubjectPrefixIndex extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        if (Dialect.of(context.getConnection()) != Dialect.POSTGRESQL) {
            return;
        }
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("CREATE INDEX issued_by_subject_bytes ON issued_certificates (subject text_pattern_ops, status, not_after)");
        }
    }
}
