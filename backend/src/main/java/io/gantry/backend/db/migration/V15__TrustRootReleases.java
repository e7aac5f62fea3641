package io.gantry.backend.db.migration;

import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Trust-root releases are stored like any release, so a threshold-signed rotation reaches the
 * fleet through the backend: the kind check admits TRUST_ROOT. In Java because V1 declared the
 * check on the column ({@link CheckConstraints}).
 */
public final class V15__TrustRootReleases extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        CheckConstraints.replace(context.getConnection(), "releases", "FIRMWARE", "releases_kind",
                "kind IN ('BUNDLE', 'FIRMWARE', 'TRUST_ROOT')");
    }
}
