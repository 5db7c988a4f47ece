package cn.jiujinbang.devinfra;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The PostgreSQL server and Kafka broker that one test JVM talks to, started at most once per JVM
 * and stopped by a shutdown hook. {@code GIG_TEST_INFRA} chooses where they come from:
 * <ul>
 *   <li>{@code local} (default): real servers started here on free ports, no Docker needed;</li>
 *   <li>{@code testcontainers}: containers, on machines with a Docker engine;</li>
 *   <li>{@code external}: servers already running, named by {@code GIG_DB_HOST}, {@code GIG_DB_PORT},
 *       {@code GIG_DB_SUPERUSER_URL} and {@code KAFKA_BOOTSTRAP_SERVERS} (SASL with the local
 *       credentials of {@link KafkaAccess} unless {@code GIG_KAFKA_SECURITY_PROTOCOL=PLAINTEXT}).</li>
 * </ul>
 */
public record TestInfrastructure(String dbHost, int dbPort, String superuserJdbcUrl, String kafkaBootstrapServers,
                                 boolean kafkaSecured) {

    private static final String STARTED = "gig.test-infra";
    /**
     * The JVM-wide handle to take the database away and bring it back: an MBean, so that test
     * classes in any class loader reach the one server (system properties must hold strings only).
     */
    private static final String DATABASE_CONTROL = "cn.jiujinbang.devinfra:type=TestDatabase";

    /** What a test may do to the database server. */
    public interface DatabaseControlMBean {
        void stop();

        void start();
    }
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
                return new TestInfrastructure(p[0], Integer.parseInt(p[1]), p[2], p[3], Boolean.parseBoolean(p[4]));
            }
            TestInfrastructure infra = start();
            System.setProperty(STARTED, String.join("\n", infra.dbHost, String.valueOf(infra.dbPort),
                    String.valueOf(infra.superuserJdbcUrl), infra.kafkaBootstrapServers, String.valueOf(infra.kafkaSecured)));
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

    /** Whether this infrastructure lets a test stop and restart the database (not for external servers). */
    public static boolean canStopDatabase() {
        shared();
        return ManagementFactory.getPlatformMBeanServer().isRegistered(databaseControl());
    }

    /** Stops the database server; its data stays. Every session of every client is cut. */
    public static void stopDatabase() {
        invokeDatabaseControl("stop");
    }

    /** Starts the stopped database server again, on the same port with the same data. */
    public static void startDatabase() {
        invokeDatabaseControl("start");
    }

    private static void invokeDatabaseControl(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(databaseControl(), operation, new Object[0], new String[0]);
        } catch (Exception e) {
            throw new IllegalStateException("could not " + operation + " the database", e);
        }
    }

    private static ObjectName databaseControl() {
        try {
            return new ObjectName(DATABASE_CONTROL);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void registerDatabaseControl(Runnable stop, Runnable start) throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new StandardMBean(new DatabaseControlMBean() {
            @Override
            public void stop() {
                stop.run();
            }

            @Override
            public void start() {
                start.run();
            }
        }, DatabaseControlMBean.class), databaseControl());
    }

    /** The configuration a service needs to reach these servers (it signs in to Kafka as itself). */
    public Map<String, String> serviceConfig() {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "gig.db.host", dbHost,
                "gig.db.port", String.valueOf(dbPort),
                "kafka.bootstrap.servers", kafkaBootstrapServers));
        if (!kafkaSecured) {
            config.put("kafka.security.protocol", "PLAINTEXT");
        }
        return config;
    }

    /** Client settings of the broker's administrator (every topic, every group). */
    public Map<String, Object> kafkaAdmin() {
        return kafkaClient(KafkaAccess.ADMIN);
    }

    /** Client settings to sign in as {@code user} (a service's name) with its local password. */
    public Map<String, Object> kafkaClient(String user) {
        return kafkaSecured ? KafkaAccess.client(kafkaBootstrapServers, user)
                : Map.of(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
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
        registerDatabaseControl(() -> {
            try {
                postgres.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, () -> {
            try {
                postgres.startAgain();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new TestInfrastructure("localhost", postgres.port(),
                postgres.superuserJdbcUrl(LocalPostgres.DATABASE), kafka.bootstrapServers(), true);
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' own reaper at JVM exit
    private static TestInfrastructure startContainers() throws Exception {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17")
                .withDatabaseName(LocalPostgres.DATABASE).withUsername("postgres").withPassword("postgres");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2")
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", "6000")
                .withEnv("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", "6000")
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", "1000")
                .withEnv("KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", "2000");
        postgres.start();
        kafka.start();
        String superuserUrl = postgres.getJdbcUrl() + (postgres.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=postgres&password=postgres";
        LocalPostgres.applyBootstrap(superuserUrl);
        // a paused container refuses nothing but answers nothing: an outage as clients see a hung server
        registerDatabaseControl(() -> postgres.getDockerClient().pauseContainerCmd(postgres.getContainerId()).exec(),
                () -> postgres.getDockerClient().unpauseContainerCmd(postgres.getContainerId()).exec());
        // the container's broker has no SASL listener: its clients connect in plain text and the ACL tests are skipped
        LocalKafka.createTopics(Map.of(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()));
        return new TestInfrastructure(postgres.getHost(), postgres.getMappedPort(5432), superuserUrl, kafka.getBootstrapServers(), false);
    }

    private static TestInfrastructure external() {
        Map<String, String> env = System.getenv();
        return new TestInfrastructure(env.getOrDefault("GIG_DB_HOST", "localhost"),
                Integer.parseInt(env.getOrDefault("GIG_DB_PORT", "5432")),
                env.get("GIG_DB_SUPERUSER_URL"),
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                !"PLAINTEXT".equals(env.get("GIG_KAFKA_SECURITY_PROTOCOL")));
    }
}
