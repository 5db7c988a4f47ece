package cn.jiujinbang.devinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Tests' direct look at the database, as a superuser or as one service's own role. */
public final class DbProbe {

    private DbProbe() {
    }

    /** A connection as the platform superuser (to inspect any schema). */
    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection(TestInfrastructure.shared().superuserJdbcUrl());
    }

    /** A connection as a service's login role, e.g. {@code order_svc}. */
    public static Connection as(String role, String password) throws SQLException {
        TestInfrastructure infra = TestInfrastructure.shared();
        return DriverManager.getConnection("jdbc:postgresql://" + infra.dbHost() + ":" + infra.dbPort() + "/"
                + LocalPostgres.DATABASE, role, password);
    }

    /** The first column of the first row as a long (for counts). */
    public static long count(String sql) throws SQLException {
        try (Connection c = superuser(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as text (null when there is no row). */
    public static String text(String sql) throws SQLException {
        List<String> all = texts(sql);
        return all.isEmpty() ? null : all.get(0);
    }

    /** The first column of every row as text. */
    public static List<String> texts(String sql) throws SQLException {
        try (Connection c = superuser(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> all = new ArrayList<>();
            while (rs.next()) {
                all.add(rs.getString(1));
            }
            return all;
        }
    }

    /** Runs a statement as the superuser (a test arranging what it cannot wait for, e.g. a hold about to expire). */
    public static void execute(String sql) throws SQLException {
        try (Connection c = superuser(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
