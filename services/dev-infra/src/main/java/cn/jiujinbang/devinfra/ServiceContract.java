package cn.jiujinbang.devinfra;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
                .body("checks.name", hasItems(containsString("Reactive PostgreSQL"), containsString("Kafka"),
                        is("Kafka consumers joined their groups")));
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
                        .body(containsString("gig_outbox_oldest_age_seconds"))
                        .body(containsString("gig_outbox_parked")));
    }

    /**
     * The safety poll is ten minutes in tests (microprofile-config.properties): only the commit's
     * notification can wake the relay. A relay on a one-second tick would publish half a second
     * after the commit on average; woken by the commit it takes milliseconds.
     */
    @Test
    void theRelayPublishesWithinMillisecondsOfTheCommitNotOnATick() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection db = DbProbe.superuser()) {
            for (int i = 0; i < 20; i++) {
                long id = insertOutboxRow(db, "{\"probe\":" + i + "}");
                ids.add(id);
                awaitRow(db, id, "published_at IS NOT NULL", Duration.ofSeconds(20));
            }
            try (PreparedStatement st = db.prepareStatement("""
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - occurred_at) * 1000)
                    FROM %s.outbox WHERE id = ANY(?)""".formatted(schema))) {
                st.setArray(1, db.createArrayOf("bigint", ids.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    double medianMs = rs.getDouble(1);
                    assertTrue(medianMs < 250, "median commit -> published " + medianMs + " ms");
                }
            }
        }
    }

    @Test
    void aRowTheBrokerRefusesForGoodIsParkedWithItsReasonAndTheRowsAfterItStillGoOut() throws Exception {
        try (Connection db = DbProbe.superuser()) {
            db.setAutoCommit(false);
            long tooLarge = insertOutboxRow(db, "{\"blob\":\"" + "x".repeat(2_000_000) + "\"}");
            long next = insertOutboxRow(db, "{\"after\":\"the large one\"}");
            db.commit();
            db.setAutoCommit(true);
            awaitRow(db, next, "published_at IS NOT NULL", Duration.ofSeconds(30));
            awaitRow(db, tooLarge, "parked_at IS NOT NULL AND published_at IS NULL", Duration.ofSeconds(30));
            try (ResultSet rs = db.createStatement().executeQuery(
                    "SELECT park_reason FROM " + schema + ".outbox WHERE id = " + tooLarge)) {
                rs.next();
                assertTrue(rs.getString(1).contains("RecordTooLarge"), rs.getString(1));
            }
        }
        KafkaProbe kafka = KafkaProbe.forTests();
        assertEquals(1, kafka.await(publishedTopic(), r -> r.value().contains("the large one"), 1, Duration.ofSeconds(30)).size());
    }

    /**
     * Kafka is the money's path (settlement books from gig.orders), so each service signs in as
     * itself and may write only its own topics: with this service's login, putting an event on any
     * other service's topic is refused by the broker, and a wrong password does not sign in at all.
     */
    @Test
    void itsKafkaLoginWritesItsOwnTopicAndNoOtherServicesTopic() {
        TestInfrastructure infra = TestInfrastructure.shared();
        org.junit.jupiter.api.Assumptions.assumeTrue(infra.kafkaSecured(), "this broker has no SASL listener");
        String service = deadLetterTopic.substring("gig.dlq.".length());
        KafkaProbe asItself = new KafkaProbe(infra.kafkaClient(service));
        asItself.publish(publishedTopic(), "acl-probe", "gig.test.acl-probe.v1", "{}");
        for (String other : List.of("gig.orders", "gig.matching", "gig.settlement")) {
            if (other.equals(publishedTopic())) {
                continue;
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> asItself.publish(other, "forged", "gig.order.completed.v1", "{}"), service + " wrote " + other);
            assertTrue(hasCause(refused, org.apache.kafka.common.errors.TopicAuthorizationException.class), refused.toString());
        }
        Map<String, Object> wrongPassword = new java.util.HashMap<>(infra.kafkaClient(service));
        wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + service + "\" password=\"guessed\";");
        wrongPassword.put("max.block.ms", 10_000);
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> new KafkaProbe(wrongPassword).publish(publishedTopic(), "forged", "gig.test.acl-probe.v1", "{}"));
        assertTrue(hasCause(unknown, org.apache.kafka.common.errors.SaslAuthenticationException.class), unknown.toString());
    }

    private static boolean hasCause(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The topic the service publishes to (gig.orders, gig.matching, gig.settlement). */
    private String publishedTopic() {
        return "gig." + schema;
    }

    private long insertOutboxRow(Connection db, String payload) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO %s.outbox (event_id, topic, event_key, event_type, occurred_at, payload)
                VALUES (?, ?, ?, 'gig.test.relay-probe.v1', clock_timestamp(), ?) RETURNING id""".formatted(schema))) {
            st.setObject(1, UUID.randomUUID());
            st.setString(2, publishedTopic());
            st.setString(3, "relay-probe-" + UUID.randomUUID());
            st.setString(4, payload);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void awaitRow(Connection db, long id, String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String sql = "SELECT count(*) FROM " + schema + ".outbox WHERE id = " + id + " AND " + condition;
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = db.createStatement().executeQuery(sql)) {
                rs.next();
                if (rs.getLong(1) == 1) {
                    return;
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("outbox row " + id + " never got " + condition);
    }

    @Test
    void itsAuditTrailIsReadByFinanceOnlyAndNobodyCanChangeIt() throws SQLException {
        String today = AuditProbe.today().toString();
        for (String other : List.of("resident", "worker", "admin")) {
            given().auth().oauth2(DevTokens.mint(other, "x-1")).queryParam("from", today).queryParam("to", today)
                    .get("/audit").then().statusCode(403);
        }
        for (Map<String, String> bad : List.of(Map.of("from", today, "to", AuditProbe.today().minusDays(1).toString()),
                Map.of("from", "2026-01-01", "to", "2026-12-31"), Map.of("from", "-999999999-01-01", "to", today),
                Map.of("from", today, "to", today, "page", "99999999999"))) {
            given().auth().oauth2(DevTokens.mint("finance", "f-1")).queryParams(bad).get("/audit").then().statusCode(400);
        }
        try (Connection own = DbProbe.as(role, role + "_dev")) {
            for (String change : List.of("UPDATE audit_entry SET actor = 'someone-else'", "DELETE FROM audit_entry",
                    "TRUNCATE audit_entry")) {
                SQLException refused = assertThrows(SQLException.class, () -> own.createStatement().executeUpdate(change));
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
        }
        try (Connection owner = DbProbe.superuser()) {
            SQLException truncate = assertThrows(SQLException.class,
                    () -> owner.createStatement().executeUpdate("TRUNCATE " + schema + ".audit_entry"));
            assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
        }
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
    void onlyTokensOfTheTrustedKeyForThisAudienceRecentAndWithASubjectAreAccepted() throws Exception {
        given().auth().oauth2(DevTokens.mint("admin", "a-1")).get(protectedPath).then()
                .statusCode(org.hamcrest.Matchers.not(401)); // authenticated (finance-only paths answer admin 403)
        // the same claims signed with a key nobody configured (anyone can make one)
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreignKey = DevTokens.claims("admin", "a-1").sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(foreignKey).get(protectedPath).then().statusCode(401).contentType("application/problem+json");
        String otherAudience = DevTokens.sign(DevTokens.claims("admin", "a-1").audience("another-app"));
        given().auth().oauth2(otherAudience).get(protectedPath).then().statusCode(401);
        // still unexpired, but issued two hours ago: older than the maximum age (one hour in tests)
        String old = DevTokens.sign(DevTokens.claims("admin", "a-1")
                .issuedAt(java.time.Instant.now().minus(Duration.ofHours(2))).expiresAt(java.time.Instant.now().plus(Duration.ofHours(1))));
        given().auth().oauth2(old).get(protectedPath).then().statusCode(401);
        String noSubject = DevTokens.sign(io.smallrye.jwt.build.Jwt.issuer(DevTokens.ISSUER).audience(DevTokens.AUDIENCE)
                .upn("a-1").groups("admin").expiresIn(Duration.ofMinutes(5)));
        given().auth().oauth2(noSubject).get(protectedPath).then().statusCode(401);
    }

    @Test
    void aControlCharacterInThePathOrQueryIs400ProblemJsonNot500() {
        String token = DevTokens.mint("admin", "a-1");
        given().auth().oauth2(token).urlEncodingEnabled(false).get(protectedPath + "/%00").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("path"));
        given().auth().oauth2(token).urlEncodingEnabled(false).get(protectedPath + "?page=%00").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("page"));
    }

    /** An event this service consumes: its type, its data, and (for poison) words its dead-letter reason contains. */
    public record SampleEvent(String type, String json, String reason) {
    }

    /** gig.order.cancelled.v1 of an order that was never assigned: harmless for matching and settlement alike. */
    protected static SampleEvent cancelledBeforeAssignment(String orderId) {
        return new SampleEvent("gig.order.cancelled.v1", """
                {"orderId":"%s","residentId":"r-1","workerId":null,"wasAssigned":false,"categoryCode":"PET",
                 "priceFen":5000,"serviceFeeFen":400,"reason":"plans changed","cancelledAt":"%s"}"""
                .formatted(orderId, OffsetDateTime.now()), null);
    }

    /** An event of a type this service handles that changes nothing for an order nobody knows. */
    protected abstract SampleEvent harmlessEvent(String orderId);

    /** An event of a type this service handles whose contents can never be processed (bad id, amount or time). */
    protected abstract SampleEvent poisonousContents(String orderId);

    @Test
    void eventsThatCanNeverBeProcessedGoToTheDeadLetterTopicAndTheNextGoodEventIsProcessedAtOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        poisonIsDeadLetteredAndTheNextEventTakesEffectAtOnce(consumedTopic, key, poisonousContents(key), harmlessEvent(key));
    }

    /**
     * Four poisoned records (bad JSON, no CloudEvents headers, an unknown version, the given
     * poisonous contents) and then a good event, all on one partition of {@code topic}: each poisoned
     * one reaches the dead-letter topic with its reason, and the good one takes effect within a second.
     */
    protected void poisonIsDeadLetteredAndTheNextEventTakesEffectAtOnce(String topic, String key, SampleEvent poison,
                                                                         SampleEvent good) throws Exception {
        KafkaProbe kafka = KafkaProbe.forTests();
        Map<String, String> headers = Map.of("ce_id", UUID.randomUUID().toString(), "ce_type", "gig.order.posted.v1",
                "ce_source", "/gig/test", "ce_time", OffsetDateTime.now().toString());
        // one good event first, so the time measured below is the poison's cost, not a cold start's
        String warmUp = UUID.randomUUID().toString();
        kafka.publish(topic, key, warmUp, good.type(), good.json());
        awaitInInbox(warmUp, Duration.ofSeconds(30));
        // all on one partition (one key), the good event last: it waits behind every poisoned one
        kafka.publishRaw(topic, key, "{not json", headers);
        kafka.publishRaw(topic, key, "{}", Map.of());
        kafka.publish(topic, key, "gig.order.posted.v99", "{\"orderId\":\"" + key + "\"}");
        kafka.publish(topic, key, poison.type(), poison.json());
        String goodId = UUID.randomUUID().toString();
        kafka.publish(topic, key, goodId, good.type(), good.json());

        Duration processedAfter = awaitInInbox(goodId, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> dead = kafka.awaitKey(deadLetterTopic, key, 4, Duration.ofSeconds(30));
        assertEquals(4, dead.size(), "all four poison records were dead-lettered, one after the other");
        assertEquals("{not json", dead.get(0).value());
        assertTrue(KafkaProbe.header(dead.get(0), "dead-letter-reason").contains("not valid JSON"));
        assertTrue(KafkaProbe.header(dead.get(1), "dead-letter-reason").contains("missing CloudEvents header"));
        assertTrue(KafkaProbe.header(dead.get(2), "dead-letter-reason").contains("unknown event type gig.order.posted.v99"));
        String reason = KafkaProbe.header(dead.get(3), "dead-letter-reason");
        assertTrue(reason.contains(poison.reason()), "reason names what is wrong: " + reason);
        assertTrue(processedAfter.toMillis() <= 1000,
                "the good event behind four poisoned ones took effect " + processedAfter.toMillis() + " ms after it was published");
        assertEquals(1, DbProbe.count("SELECT count(*) FROM " + schema + ".inbox WHERE event_id = '" + goodId + "'"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("gig_consumer_dead_lettered_total"));
    }

    /** How long from now until the event is recorded in this service's inbox (its effect committed). */
    private Duration awaitInInbox(String eventId, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (Connection db = DbProbe.superuser();
             PreparedStatement st = db.prepareStatement("SELECT 1 FROM " + schema + ".inbox WHERE event_id = ?")) {
            st.setString(1, eventId);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("event " + eventId + " was not processed within " + timeout);
    }
}
