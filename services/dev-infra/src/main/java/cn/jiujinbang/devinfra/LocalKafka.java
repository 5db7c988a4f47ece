package cn.jiujinbang.devinfra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run as a
 * child JVM from the broker jars that the kafka-broker module resolves. Topics come from
 * {@code deploy/kafka/topics.txt}; auto-create is off so a typo in a topic name fails loudly.
 * Clients sign in with SASL/SCRAM and ACLs deny whatever deploy/kafka/access.txt does not grant
 * ({@link KafkaAccess}); the controller listener takes only the broker's own PLAIN login.
 */
public final class LocalKafka implements AutoCloseable {

    private static final String CONTROLLER_PASSWORD = "controller-local";

    private final Process process;
    private final int port;
    private final Path logFile;

    private LocalKafka(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts a broker with its log and data under {@code workDir} and creates the platform's topics. */
    public static LocalKafka start(int port, int controllerPort, Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path dataDir = workDir.resolve("data");
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=CLIENTS://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=CLIENTS://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=CLIENTS",
                "listener.security.protocol.map=CLIENTS:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                // clients: SCRAM users (the admin super user is written at format time, services by KafkaAccess)
                "listener.name.clients.sasl.enabled.mechanisms=" + KafkaAccess.MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + KafkaAccess.MECHANISM,
                "listener.name.clients.scram-sha-256.sasl.jaas.config="
                        + KafkaAccess.jaas(KafkaAccess.ADMIN, KafkaAccess.localPassword(KafkaAccess.ADMIN)),
                // controller: PLAIN (SCRAM credentials live in the metadata the controller serves)
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"controller\" password=\"" + CONTROLLER_PASSWORD + "\" user_controller=\"" + CONTROLLER_PASSWORD + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + KafkaAccess.ADMIN + ";User:controller",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + dataDir.toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                // one node is broker and controller: after a kill -9 the restarted broker stays fenced
                // until the dead incarnation's session ends (default 9 s); restart 13 s -> 5.4 s
                "broker.session.timeout.ms=3000",
                "broker.heartbeat.interval.ms=500",
                // consumer groups (KIP-848 protocol): a dead member's partitions move on after 6 s,
                // not the default 45 s (docs/decisions.md 15); deploy/compose.yaml sets the same
                "group.consumer.min.session.timeout.ms=6000",
                "group.consumer.session.timeout.ms=6000",
                "group.consumer.min.heartbeat.interval.ms=1000",
                "group.consumer.heartbeat.interval.ms=2000",
                "") , StandardCharsets.UTF_8);

        String classpath = InfraResources.text("broker.classpath").trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logFile = workDir.resolve("kafka.log");
        // storage formatted before the broker required SASL has no admin login: the broker could not
        // start. Local broker data is disposable (the services' outboxes and inboxes are the record),
        // so such storage is formatted afresh.
        Path secured = workDir.resolve("sasl-formatted");
        if (Files.exists(dataDir.resolve("meta.properties")) && !Files.exists(secured)) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(java, "-cp", classpath, "kafka.tools.StorageTool", "format",
                    // "=" form: a base64url id may start with "-", which would read as an option
                    "--cluster-id=" + clusterId(), "--config=" + config,
                    "--add-scram=" + KafkaAccess.MECHANISM + "=[name=" + KafkaAccess.ADMIN
                            + ",password=" + KafkaAccess.localPassword(KafkaAccess.ADMIN) + "]")
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka storage failed, see " + logFile);
            }
            Files.writeString(secured, "formatted with SCRAM credentials for " + KafkaAccess.ADMIN + "\n");
        }
        Process broker = new ProcessBuilder(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classpath, "kafka.Kafka", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        LocalKafka kafka = new LocalKafka(broker, port, logFile);
        try {
            kafka.awaitReadyAndCreateTopics(Duration.ofSeconds(90));
        } catch (RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private static String clusterId() {
        // A KRaft cluster id is a base64url-encoded UUID of 22 characters.
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReadyAndCreateTopics(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ", see " + logFile);
            }
            try {
                Map<String, Object> admin = KafkaAccess.client(bootstrapServers(), KafkaAccess.ADMIN);
                createTopics(admin);
                try (Admin client = Admin.create(admin)) {
                    KafkaAccess.apply(client);
                }
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("Kafka broker not ready after " + timeout + ", see " + logFile, last);
    }

    /** Creates every topic of deploy/kafka/topics.txt that does not exist yet, signed in with {@code adminConfig}. */
    public static void createTopics(Map<String, Object> adminConfig) {
        List<NewTopic> topics = new ArrayList<>();
        for (String[] row : InfraResources.rows("topics.txt")) {
            topics.add(new NewTopic(row[0], Integer.parseInt(row[1]), (short) 1));
        }
        Map<String, Object> config = new java.util.HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(config)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    /** Kills the broker (SIGKILL), as a crash would; start it again with the same ports and folder. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the broker cleanly (SIGTERM), forcibly after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public File logFile() {
        return logFile.toFile();
    }
}
