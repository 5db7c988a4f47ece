package cn.jiujinbang.devinfra;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The PostgreSQL server and Kafka broker that one test JVM talks to, started at most once per JVM
 * and stopped by a shutdown hook. {@code GIG_TEST_INFRA} chooses where they come from:
 * <ul>
 *   <li>{@code local} (default): real servers started here on free ports, no Docker needed;</li>
 *   <li>{@code testcontainers}: containers, on machines with a Docker engine;</li>
 *   <li>{@code external}: servers already running, named by {@code GIG_DB_HOST}, {@code GIG_DB_PORT},
 *       {@code GIG_DB_SUPERUSER_URL} and {@code KAFKA_BOOTSTRAP_SERVERS}.</li>
 * </ul>
 */
public record TestInfrastructure(String dbHost, int dbPort, String superuserJdbcUrl, String kafkaBootstrapServers) {

    private static final String STARTED = "gig.test-infra";
    private static TestInfrastructure shared;

    /**
     * The servers of this JVM, started on first use. Quarkus loads this class again in a new class
     * loader for every test profile, so the running servers are found through a JVM-wide system
     * property rather than a static field alone.
     */
    public static TestInfrastructure shared() {
        synchronized (System.getProperties()) {
            String started = System.getProperty(STARTED);
            if (started != null) {
                String[] p = started.split("\n");
                return new TestInfrastructure(p[0], Integer.parseInt(p[1]), p[2], p[3]);
            }
            TestInfrastructure infra = start();
            System.setProperty(STARTED, String.join("\n", infra.dbHost, String.valueOf(infra.dbPort),
                    String.valueOf(infra.superuserJdbcUrl), infra.kafkaBootstrapServers));
            return infra;
        }
    }

    private static TestInfrastructure start() {
        if (shared == null) {
            String mode = System.getenv().getOrDefault("GIG_TEST_INFRA", "local");
            try {
                shared = switch (mode) {
                    case "local" -> startLocal();
                    case "testcontainers" -> startContainers();
                    case "external" -> external();
                    default -> throw new IllegalArgumentException("GIG_TEST_INFRA must be local, testcontainers or external, not " + mode);
                };
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test infrastructure (" + mode + ")", e);
            }
        }
        return shared;
    }

    /** The configuration a service needs to reach these servers. */
    public Map<String, String> serviceConfig() {
        return Map.of(
                "gig.db.host", dbHost,
                "gig.db.port", String.valueOf(dbPort),
                "kafka.bootstrap.servers", kafkaBootstrapServers);
    }

    private static TestInfrastructure startLocal() throws Exception {
        Path workDir = Files.createTempDirectory("gig-test-infra");
        LocalPostgres postgres = LocalPostgres.start(InfraResources.freePort(), null);
        LocalKafka kafka = LocalKafka.start(InfraResources.freePort(), InfraResources.freePort(), workDir.resolve("kafka"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            try {
                postgres.close();
            } catch (Exception ignored) {
                // the JVM is going away; nothing left to tell
            }
        }, "gig-test-infra-stop"));
        return new TestInfrastructure("localhost", postgres.port(),
                postgres.superuserJdbcUrl(LocalPostgres.DATABASE), kafka.bootstrapServers());
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own reaper at JVM exit
    private static TestInfrastructure startContainers() throws Exception {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17")
                .withDatabaseName(LocalPostgres.DATABASE).withUsername("postgres").withPassword("postgres");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
        postgres.start();
        kafka.start();
        String superuserUrl = postgres.getJdbcUrl() + (postgres.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=postgres&password=postgres";
        LocalPostgres.applyBootstrap(superuserUrl);
        LocalKafka.createTopics(kafka.getBootstrapServers());
        return new TestInfrastructure(postgres.getHost(), postgres.getMappedPort(5432), superuserUrl, kafka.getBootstrapServers());
    }

    private static TestInfrastructure external() {
        Map<String, String> env = System.getenv();
        return new TestInfrastructure(env.getOrDefault("GIG_DB_HOST", "localhost"),
                Integer.parseInt(env.getOrDefault("GIG_DB_PORT", "5432")),
                env.get("GIG_DB_SUPERUSER_URL"),
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
    }
}
