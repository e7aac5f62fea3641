package io.gantry.backend.db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces a check that V1 declared on a column: the database chose its name (H2 and PostgreSQL
 * differently), so it is looked up by a value its clause names and replaced by a named one that
 * later migrations can address in SQL.
 */
final class CheckConstraints {
    private CheckConstraints() {
    }

    /**
     * @param table the table, any case
     * @param clauseMentions a value only the check to replace names, e.g. {@code FINISHED}
     * @param name the new constraint's name
     * @param clause the new check, e.g. {@code status IN ('A', 'B')}
     * @throws SQLException unless exactly one such check exists
     */
    static void replace(Connection c, String table, String clauseMentions, String name, String clause) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc "
                + "JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
                + "WHERE UPPER(tc.TABLE_NAME) = ? AND tc.CONSTRAINT_TYPE = 'CHECK' AND cc.CHECK_CLAUSE LIKE ?")) {
            ps.setString(1, table.toUpperCase(java.util.Locale.ROOT));
            ps.setString(2, "%" + clauseMentions + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        if (names.size() != 1) {
            throw new SQLException("expected one check on " + table + " naming " + clauseMentions + ", found " + names);
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + names.get(0).replace("\"", "") + "\"");
            st.execute("ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK (" + clause + ")");
        }
    }
}
