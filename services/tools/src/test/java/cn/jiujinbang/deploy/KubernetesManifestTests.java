package cn.jiujinbang.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Kubernetes manifests, checked without a cluster: each overlay renders (kubectl kustomize, via
 * deploy/k8s/render.sh), and what it renders keeps the platform's rules - every service replicated,
 * probed, limited, autoscaled and protected from voluntary disruption, credentials from Secrets only,
 * the owner's password only in migration Jobs - and agrees with the files the local platform uses:
 * topics.txt, access.txt, init.sql and the services' own channels.
 */
class KubernetesManifestTests {

    private static final Path ROOT = repositoryRoot();
    private static final List<String> SERVICES = List.of("order-service", "matching-service", "settlement-service");

    @ParameterizedTest
    @ValueSource(strings = {"production", "local"})
    void everyServiceIsReplicatedProbedLimitedAutoscaledAndGuardedAndTakesCredentialsFromSecrets(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        int minimum = overlay.equals("production") ? 3 : 2;
        for (String service : SERVICES) {
            JsonNode deployment = one(docs, "Deployment", service);
            assertTrue(deployment.at("/spec/replicas").asInt() >= minimum, service + " replicas");
            assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(), service + " rolls without going below");
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertTrue(container.has(probe), service + " has a " + probe);
            }
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
            assertFalse(container.at("/resources/limits/memory").isMissingNode(), service + " memory limit");
            assertFalse(container.at("/resources/requests/cpu").isMissingNode(), service + " cpu request");
            Set<String> env = new HashSet<>();
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asText();
                env.add(name);
                if (name.contains("PASSWORD") || name.contains("SECRET")) {
                    assertTrue(e.has("valueFrom") && e.at("/valueFrom/secretKeyRef/name").isTextual() && !e.has("value"),
                            service + " takes " + name + " from a Secret, never a literal");
                }
            }
            assertTrue(env.containsAll(List.of("GIG_DB_PASSWORD", "GIG_KAFKA_PASSWORD", "GIG_JWT_PUBLIC_KEY_LOCATION")), service + " env " + env);
            assertFalse(env.contains("GIG_DB_OWNER_PASSWORD"), service + " replicas never get the schema owner's password");

            Map<String, String> podLabels = labels(deployment.at("/spec/template/metadata/labels"));
            JsonNode pdb = docs.stream().filter(d -> kind(d, "PodDisruptionBudget")
                    && podLabels.entrySet().containsAll(labels(d.at("/spec/selector/matchLabels")).entrySet())).findFirst()
                    .orElseThrow(() -> new AssertionError("no PodDisruptionBudget selects " + service));
            assertTrue(pdb.at("/spec/minAvailable").asInt() >= 1);
            JsonNode hpa = docs.stream().filter(d -> kind(d, "HorizontalPodAutoscaler")
                    && d.at("/spec/scaleTargetRef/name").asText().equals(service)).findFirst()
                    .orElseThrow(() -> new AssertionError("no HorizontalPodAutoscaler scales " + service));
            assertTrue(hpa.at("/spec/minReplicas").asInt() >= minimum);

            String schema = service.substring(0, service.indexOf('-'));
            JsonNode job = one(docs, "Job", schema + "-migrate");
            JsonNode jobEnv = job.at("/spec/template/spec/containers/0/env");
            assertTrue(names(jobEnv).containsAll(List.of("GIG_DB_OWNER_PASSWORD", "GIG_DB_MIGRATE_AT_START", "QUARKUS_INIT_AND_EXIT")),
                    schema + "-migrate migrates as the owner and exits");
            assertEquals(container.path("image").asText(), job.at("/spec/template/spec/containers/0/image").asText(),
                    "the migration runs the release's own image");
        }
        for (JsonNode d : docs) {
            if (kind(d, "Secret") && overlay.equals("production")) {
                fail("the production overlay carries a Secret: " + d.at("/metadata/name").asText());
            }
        }
    }

    @Test
    void theTopicsAreTopicsTxtReplicatedThreeTimesWithTwoInSync() throws Exception {
        Map<String, Integer> expected = new HashMap<>();
        for (String[] row : rows("deploy/kafka/topics.txt")) {
            expected.put(row[0], Integer.parseInt(row[1]));
        }
        Map<String, Integer> rendered = new HashMap<>();
        for (JsonNode topic : all(render("production"), "KafkaTopic")) {
            rendered.put(topic.at("/metadata/name").asText(), topic.at("/spec/partitions").asInt());
            assertEquals(3, topic.at("/spec/replicas").asInt());
            assertEquals("2", topic.at("/spec/config/min.insync.replicas").asText());
        }
        assertEquals(expected, rendered);
        JsonNode kafka = one(render("production"), "Kafka", "gig");
        assertEquals("simple", kafka.at("/spec/kafka/authorization/type").asText(), "ACLs are enforced");
        assertEquals(3, one(render("production"), "KafkaNodePool", "dual-role").at("/spec/replicas").asInt());
    }

    @Test
    void eachKafkaUserHasExactlyTheRightsOfAccessTxtAndTheyAreWhatTheServicesUse() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String[] row : rows("deploy/kafka/access.txt")) {
            expected.add(String.join(" ", row));
        }
        Set<String> rendered = new TreeSet<>();
        for (JsonNode user : all(render("production"), "KafkaUser")) {
            String name = user.at("/metadata/name").asText();
            assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText());
            for (JsonNode acl : user.at("/spec/authorization/acls")) {
                Set<String> ops = new HashSet<>();
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                String resource = acl.at("/resource/name").asText();
                if (acl.at("/resource/type").asText().equals("group")) {
                    assertEquals(Set.of("Read"), ops);
                    rendered.add(name + " group " + resource);
                } else if (ops.equals(Set.of("Write", "Describe"))) {
                    rendered.add(name + " write " + resource);
                } else {
                    assertEquals(Set.of("Read", "Describe"), ops, name + " on " + resource);
                    rendered.add(name + " read " + resource);
                }
            }
        }
        assertEquals(expected, rendered, "KafkaUsers and access.txt");

        // and access.txt is what the services' channels need: nothing missing, nothing extra
        Set<String> needed = new TreeSet<>();
        for (String service : SERVICES) {
            Properties p = new Properties();
            p.load(Files.newBufferedReader(ROOT.resolve("services/" + service + "/src/main/resources/application.properties"),
                    StandardCharsets.UTF_8));
            String schema = service.substring(0, service.indexOf('-'));
            needed.add(service + " write gig." + (schema.equals("order") ? "orders" : schema)); // its outbox topic
            for (String key : p.stringPropertyNames()) {
                Matcher m = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.(topic|group\\.id|dead-letter-queue\\.topic)").matcher(key);
                if (m.matches()) {
                    String value = p.getProperty(key).strip();
                    needed.add(service + switch (m.group(2)) {
                        case "topic" -> " read ";
                        case "group.id" -> " group ";
                        default -> " write ";
                    } + value);
                }
            }
        }
        assertEquals(needed, expected, "access.txt and the services' channels");
    }

    @Test
    void postgresHasThreeInstancesTheRolesAndSchemasOfInitSqlAndNightlyBackups() throws Exception {
        List<JsonNode> docs = render("production");
        JsonNode cluster = one(docs, "Cluster", "gig-db");
        assertEquals(3, cluster.at("/spec/instances").asInt());
        String init = Files.readString(ROOT.resolve("deploy/postgres/init.sql"));
        Matcher roles = Pattern.compile("'(\\w+_(?:owner|svc))'").matcher(init);
        Set<String> initRoles = new TreeSet<>();
        while (roles.find()) {
            initRoles.add(roles.group(1));
        }
        Set<String> managed = new TreeSet<>();
        for (JsonNode role : cluster.at("/spec/managed/roles")) {
            managed.add(role.path("name").asText());
            assertTrue(role.at("/passwordSecret/name").isTextual(), role + " takes its password from a Secret");
        }
        assertEquals(initRoles, managed);
        Set<String> post = new HashSet<>();
        cluster.at("/spec/bootstrap/initdb/postInitApplicationSQL").forEach(s -> post.add(s.asText()));
        String statements = init.replaceAll("(?m)^\\s*--.*$", "").replaceAll("(?s)DO \\$\\$.*?\\$\\$;", "");
        for (String statement : statements.split(";")) {
            String normalised = statement.replaceAll("\\s+", " ").strip();
            if (!normalised.isEmpty()) {
                assertTrue(post.contains(normalised), "postgres.yaml runs what init.sql does: " + normalised);
            }
        }
        assertFalse(cluster.at("/spec/backup/barmanObjectStore/destinationPath").isMissingNode());
        assertEquals("gig-db", one(docs, "ScheduledBackup", "gig-db-nightly").at("/spec/cluster/name").asText());
    }

    // ---- rendering and reading -----------------------------------------------------------------------

    private static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();

    private static synchronized List<JsonNode> render(String overlay) throws Exception {
        if (!RENDERED.containsKey(overlay)) {
            Process process = new ProcessBuilder("bash", ROOT.resolve("deploy/k8s/render.sh").toString(), overlay)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), "kubectl kustomize finished");
            assertEquals(0, process.exitValue(), "kubectl kustomize deploy/k8s/overlays/" + overlay + " renders");
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(out)) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        docs.add(doc);
                    }
                }
            }
            RENDERED.put(overlay, docs);
        }
        return RENDERED.get(overlay);
    }

    private static boolean kind(JsonNode doc, String kind) {
        return kind.equals(doc.path("kind").asText());
    }

    private static List<JsonNode> all(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind(d, kind)).toList();
    }

    private static JsonNode one(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind(d, kind) && d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static Set<String> names(JsonNode env) {
        Set<String> names = new HashSet<>();
        env.forEach(e -> names.add(e.path("name").asText()));
        return names;
    }

    private static List<String[]> rows(String file) throws IOException {
        return Files.readAllLines(ROOT.resolve(file)).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).toList();
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/k8s/render.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository");
        }
        return dir;
    }
}
