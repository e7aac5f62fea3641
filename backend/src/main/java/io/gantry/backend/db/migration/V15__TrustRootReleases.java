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
 * Trust-root releases are stored like any release, so a threshold-signed rotation reaches the
 * fleet through the backend: the kind check admits TRUST_ROOT. Written in Java for the reason of
 * {@link V7__ActionCancel}: V1 declared the check on the column, so the database chose its name; it
 * is looked up and replaced by a named one.
 */
public final class V15__TrustRootReleases extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc "
                + "JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
                + "WHERE UPPER(tc.TABLE_NAME) = 'RELEASES' AND tc.CONSTRAINT_TYPE = 'CHECK' AND cc.CHECK_CLAUSE LIKE '%FIRMWARE%'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        if (names.size() != 1) {
            throw new SQLException("expected one kind check on releases, found " + names);
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE releases DROP CONSTRAINT \"" + names.get(0).replace("\"", "") + "\"");
            st.execute("ALTER TABLE releases ADD CONSTRAINT releases_kind CHECK (kind IN ('BUNDLE', 'FIRMWARE', 'TRUST_ROOT'))");
        }
    }
}
