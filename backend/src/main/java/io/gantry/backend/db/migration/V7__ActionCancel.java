package io.gantry.backend.db.migration;

import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Actions may be cancelled: the status check admits CANCELING and CANCELED. In Java because V1
 * declared the check on the column ({@link CheckConstraints}).
 */
public final class V7__ActionCancel extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        CheckConstraints.replace(context.getConnection(), "actions", "FINISHED", "actions_status",
                "status IN ('PENDING', 'RUNNING', 'FINISHED', 'ERROR', 'CANCELING', 'CANCELED')");
    }
}
