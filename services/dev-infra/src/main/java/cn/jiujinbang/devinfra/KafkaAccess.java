package cn.jiujinbang.devinfra;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who may use the local broker and how clients sign in: SASL/SCRAM-SHA-256 users, one per service,
 * with the rights of deploy/kafka/access.txt, and the "admin" super user that tests and operator
 * tools use. Passwords here are the LOCAL ones (a broker on loopback, started by this project);
 * production takes every password from its environment or Kubernetes Secrets.
 */
public final class KafkaAccess {

    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-256";

    /** One line of access.txt. */
    public record Right(String user, String operation, String resource) {
    }

    private KafkaAccess() {
    }

    /** The local password of a user (services use the same rule in the "local" and test profiles). */
    public static String localPassword(String user) {
        return user + "-local";
    }

    /** The rights of deploy/kafka/access.txt. */
    public static List<Right> rights() {
        List<Right> rights = new ArrayList<>();
        for (String[] parts : InfraResources.rows("access.txt")) {
            if (parts.length != 3 || !Set.of("write", "read", "group").contains(parts[1])) {
                throw new IllegalStateException("access.txt: cannot read '" + String.join(" ", parts) + "'");
            }
            rights.add(new Right(parts[0], parts[1], parts[2]));
        }
        return rights;
    }

    /** Client settings to sign in as {@code user} with its local password. */
    public static Map<String, Object> client(String bootstrapServers, String user) {
        return client(bootstrapServers, user, localPassword(user));
    }

    public static Map<String, Object> client(String bootstrapServers, String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return config;
    }

    /**
     * Client settings for an operator tool (make dlq, benchmarks) from its environment:
     * KAFKA_BOOTSTRAP_SERVERS, GIG_KAFKA_USER (default admin), GIG_KAFKA_PASSWORD (default the user's local
     * password) and GIG_KAFKA_SECURITY_PROTOCOL (PLAINTEXT for a broker without SASL).
     */
    public static Map<String, Object> fromEnvironment() {
        Map<String, String> env = System.getenv();
        String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
        if ("PLAINTEXT".equals(env.get("GIG_KAFKA_SECURITY_PROTOCOL"))) {
            return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
        String user = env.getOrDefault("GIG_KAFKA_USER", ADMIN);
        Map<String, Object> config = client(bootstrap, user, env.getOrDefault("GIG_KAFKA_PASSWORD", localPassword(user)));
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, env.getOrDefault("GIG_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"));
        return config;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Creates (or resets) every user of access.txt with its local password and grants exactly its rights. */
    public static void apply(Admin admin) throws Exception {
        Set<String> users = new LinkedHashSet<>();
        List<AclBinding> acls = new ArrayList<>();
        for (Right right : rights()) {
            users.add(right.user());
            String principal = "User:" + right.user();
            switch (right.operation()) {
                case "write" -> {
                    acls.add(allow(ResourceType.TOPIC, right.resource(), principal, AclOperation.WRITE));
                    acls.add(allow(ResourceType.TOPIC, right.resource(), principal, AclOperation.DESCRIBE));
                }
                case "read" -> {
                    acls.add(allow(ResourceType.TOPIC, right.resource(), principal, AclOperation.READ));
                    acls.add(allow(ResourceType.TOPIC, right.resource(), principal, AclOperation.DESCRIBE));
                }
                default -> acls.add(allow(ResourceType.GROUP, right.resource(), principal, AclOperation.READ));
            }
        }
        admin.alterUserScramCredentials(users.stream()
                .map(u -> (org.apache.kafka.clients.admin.UserScramCredentialAlteration) new UserScramCredentialUpsertion(u,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), localPassword(u)))
                .toList()).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }

    private static AclBinding allow(ResourceType type, String name, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
