package io.gantry.backend.db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Actions may be cancelled: the status check admits CANCELING and CANCELED. Written in Java
 * because V1 declared the check on the column, so the database chose its name; it is looked up
 * and replaced by a named one that later migrations can address in SQL.
 */
public final class V7__ActionCancel extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc "
                + "JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
                + "WHERE UPPER(tc.TABLE_NAME) = 'ACTIONS' AND tc.CONSTRAINT_TYPE = 'CHECK' AND cc.CHECK_CLAUSE LIKE '%FINISHED%'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        if (names.size() != 1) {
            throw new SQLException("expected one status check on actions, found " + names);
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE actions DROP CONSTRAINT \"" + names.get(0).replace("\"", "") + "\"");
            st.execute("ALTER TABLE actions ADD CONSTRAINT actions_status CHECK (status IN "
                    + "('PENDING', 'RUNNING', 'FINISHED', 'ERROR', 'CANCELING', 'CANCELED'))");
        }
    }
}
