package cn.jiujinbang.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}'s infrastructure: PostgreSQL and Kafka on fixed local ports with their data in
 * a folder that survives restarts. Runs until it is stopped (SIGTERM or Ctrl-C) and then stops
 * both servers, so no process is left behind. Writes {@code ready} into the state folder once
 * both accept connections.
 */
public final class LocalPlatform {

    private LocalPlatform() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(env("GIG_LOCAL_DIR", ".local")).toAbsolutePath();
        int dbPort = Integer.parseInt(env("GIG_DB_PORT", "15432"));
        int kafkaPort = Integer.parseInt(env("GIG_KAFKA_PORT", "19092"));
        Files.createDirectories(state);
        Path ready = state.resolve("ready");
        Files.deleteIfExists(ready);

        LocalServers servers = LocalServers.start(dbPort, state.resolve("postgres"), kafkaPort, kafkaPort + 1, state.resolve("kafka"));
        LocalPostgres postgres = servers.postgres();
        LocalKafka kafka = servers.kafka();
        System.out.println("PostgreSQL 17 on localhost:" + postgres.port() + " (database " + LocalPostgres.DATABASE + ")");
        Files.writeString(state.resolve("kafka.pid"), Long.toString(kafka.pid()));
        System.out.println("Kafka on " + kafka.bootstrapServers() + " (log " + kafka.logFile() + ")");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                postgres.close();
                Files.deleteIfExists(ready);
                Files.deleteIfExists(state.resolve("kafka.pid"));
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL: " + e.getMessage());
            }
            stopped.countDown();
        }, "local-platform-stop"));
        Files.writeString(ready, "ok");
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
