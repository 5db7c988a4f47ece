package cn.jiujinbang.devinfra;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service must prove about the platform mechanics, against the real PostgreSQL and
 * Kafka: migrations in its own schema, readiness, a database role fenced into its schema, 401
 * without a token, and dead-lettering of events that can never be processed. A service's test
 * class extends this with {@code @QuarkusTest} and {@code @QuarkusTestResource(PlatformTestResource.class)}
 * and adds the checks of its own effects.
 */
public abstract class ServiceContract {

    private final String schema;
    private final String role;
    private final List<String> tables;
    private final String consumedTopic;
    private final String deadLetterTopic;
    private final String protectedPath;

    protected ServiceContract(String schema, String role, List<String> tables, String consumedTopic,
                              String deadLetterTopic, String protectedPath) {
        this.schema = schema;
        this.role = role;
        this.tables = tables;
        this.consumedTopic = consumedTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.protectedPath = protectedPath;
    }

    @Test
    void migrationsRanInItsOwnSchema() throws SQLException {
        for (String table : tables) {
            assertEquals(1, DbProbe.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + schema + "' AND table_name = '" + table + "'"), schema + "." + table);
        }
        assertEquals(0, DbProbe.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE NOT success"));
    }

    @Test
    void readinessIsUpWithDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"), containsString("Kafka")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void theOpenApiDocumentNamesRolesAndProblemResponses() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.Problem.properties.errors.type", is("array"))
                .body("paths.'" + protectedPath + "'.get.security[0].SecurityScheme", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("paths.'" + protectedPath + "'.get.responses.'401'.content", org.hamcrest.Matchers.hasKey("application/problem+json"));
    }

    @Test
    void metricsShowTheOutboxBacklog() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/metrics").then().statusCode(200)
                        .body(containsString("gig_outbox_backlog"))
                        .body(containsString("gig_outbox_oldest_age_seconds")));
    }

    @Test
    void itsDatabaseRoleCannotTouchAnotherServicesSchema() throws SQLException {
        try (Connection own = DbProbe.as(role, role + "_dev")) {
            own.createStatement().executeQuery("SELECT count(*) FROM inbox").close(); // its own schema, by search_path
            for (String other : List.of("orders", "matching", "settlement")) {
                if (other.equals(schema)) {
                    continue;
                }
                SQLException read = assertThrows(SQLException.class,
                        () -> own.createStatement().executeQuery("SELECT * FROM " + other + ".inbox"));
                assertTrue(read.getMessage().contains("permission denied"), read.getMessage());
                SQLException create = assertThrows(SQLException.class,
                        () -> own.createStatement().execute("CREATE TABLE " + other + ".intruder (id int)"));
                assertTrue(create.getMessage().contains("permission denied"), create.getMessage());
            }
            SQLException ddl = assertThrows(SQLException.class,
                    () -> own.createStatement().execute("CREATE TABLE " + schema + ".scratch (id int)"));
            assertTrue(ddl.getMessage().contains("permission denied"), "only the schema's owner migrates: " + ddl.getMessage());
            SQLException inPublic = assertThrows(SQLException.class,
                    () -> own.createStatement().execute("CREATE TABLE public.intruder (id int)"));
            assertTrue(inPublic.getMessage().contains("permission denied"), inPublic.getMessage());
        }
    }

    @Test
    void noTokenOrABadTokenIs401ProblemJson() {
        given().get(protectedPath).then().statusCode(401).contentType("application/problem+json")
                .body("status", is(401));
        given().auth().oauth2("not-a-jwt").get(protectedPath).then().statusCode(401)
                .contentType("application/problem+json");
        String expired = DevTokens.mint("admin", "a-1", Duration.ofSeconds(-120));
        given().auth().oauth2(expired).get(protectedPath).then().statusCode(401);
    }

    @Test
    void eventsThatCanNeverBeProcessedGoToTheDeadLetterTopicAndConsumingGoesOn() {
        KafkaProbe kafka = KafkaProbe.forTests();
        String key = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of("ce_id", UUID.randomUUID().toString(), "ce_type", "gig.order.posted.v1",
                "ce_source", "/gig/test", "ce_time", OffsetDateTime.now().toString());
        kafka.publishRaw(consumedTopic, key, "{not json", headers);
        kafka.publishRaw(consumedTopic, key, "{}", Map.of());
        kafka.publish(consumedTopic, key, "gig.order.posted.v99", "{\"orderId\":\"" + key + "\"}");

        List<ConsumerRecord<String, String>> dead = kafka.awaitKey(deadLetterTopic, key, 3, Duration.ofSeconds(30));
        assertEquals(3, dead.size(), "all three poison records were dead-lettered, one after the other");
        assertEquals("{not json", dead.get(0).value());
        assertTrue(KafkaProbe.header(dead.get(0), "dead-letter-reason").contains("not valid JSON"));
        assertTrue(KafkaProbe.header(dead.get(1), "dead-letter-reason").contains("missing CloudEvents header"));
        assertTrue(KafkaProbe.header(dead.get(2), "dead-letter-reason").contains("unknown event type gig.order.posted.v99"));
    }
}
