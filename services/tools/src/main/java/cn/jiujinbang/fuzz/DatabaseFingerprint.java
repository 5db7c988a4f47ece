package cn.jiujinbang.fuzz;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the services' tables hold, cheaply enough to take before and after every request: per table
 * its row count and the sum of its rows' creating transaction ids (xmin). An INSERT, UPDATE or DELETE
 * changes one or the other; reading, locking (FOR UPDATE) or vacuuming changes neither.
 */
final class DatabaseFingerprint implements AutoCloseable {

    private final Connection db;
    private final String query;

    DatabaseFingerprint(String jdbcUrl) throws SQLException {
        this.db = DriverManager.getConnection(jdbcUrl);
        List<String> parts = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_schema IN ('orders', 'matching', 'settlement') AND table_type = 'BASE TABLE'
                  AND table_name <> 'flyway_schema_history' ORDER BY 1""")) {
            while (rs.next()) {
                String table = rs.getString(1);
                parts.add("SELECT '" + table + "', count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM " + table);
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("no tables in the orders, matching and settlement schemas: is the platform migrated?");
        }
        this.query = String.join(" UNION ALL ", parts);
    }

    Map<String, String> take() throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (ResultSet rs = db.createStatement().executeQuery(query)) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2));
            }
        }
        return tables;
    }

    /** The tables whose rows differ between two fingerprints. */
    static List<String> changed(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream().filter(t -> !after.get(t).equals(before.get(t))).toList();
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
