package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.devinfra.ServiceContract;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** The platform mechanics, as order-service uses them, against the real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class FoundationTests extends ServiceContract {

    FoundationTests() {
        super("orders", "order_svc", List.of("flyway_schema_history", "outbox", "inbox", "notification", "notification_preference", "gig_order", "order_transition", "audit_entry",
                "idempotency_key"), "gig.matching", "gig.dlq.order-service", "/orders");
    }

    @Override
    protected SampleEvent harmlessEvent(String orderId) {
        return new SampleEvent("gig.match.unmatched.v1", """
                {"orderId":"%s","rounds":3,"reason":"nobody nearby","decidedAt":"%s"}"""
                .formatted(orderId, OffsetDateTime.now()), null);
    }

    @Override
    protected SampleEvent poisonousContents(String orderId) {
        return new SampleEvent("gig.match.assigned.v1", """
                {"orderId":"%s","workerId":"w-1","offerId":"%s","distanceKm":1.2}"""
                .formatted(orderId, UUID.randomUUID()), "assignedAt is missing");
    }

    /** order-service consumes two topics; the second, gig.settlement, dead-letters and goes on just the same. */
    @Test
    void settlementEventsThatCanNeverBeProcessedAreDeadLetteredAndTheNextIsProcessedAtOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String settled = """
                {"orderId":"%s","workerId":"w-1","kind":"ORDER","grossFen":%d,"serviceFeeFen":480,"taxFen":0,"netFen":6000,
                 "chargedFen":6480,"settledAt":"%s"}""";
        poisonIsDeadLetteredAndTheNextEventTakesEffectAtOnce("gig.settlement", orderId,
                new SampleEvent("gig.settlement.settled.v1", settled.formatted(orderId, -6000, OffsetDateTime.now()),
                        "grossFen is negative: -6000"),
                new SampleEvent("gig.settlement.settled.v1", settled.formatted(orderId, 6000, OffsetDateTime.now()), null));
    }

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anEventWrittenThroughTheOutboxReachesKafkaWithCloudEventsHeaders() throws Exception {
        String resident = newId("r");
        String orderId = post(resident);
        List<ConsumerRecord<String, String>> records = KAFKA.awaitKey("gig.orders", orderId, 1, Duration.ofSeconds(30));
        assertEquals(1, records.size());
        ConsumerRecord<String, String> record = records.get(0);
        assertEquals("gig.order.posted.v1", KafkaProbe.header(record, "ce_type"));
        assertEquals("/gig/order-service", KafkaProbe.header(record, "ce_source"));
        assertEquals("1.0", KafkaProbe.header(record, "ce_specversion"));
        UUID.fromString(KafkaProbe.header(record, "ce_id"));
        OffsetDateTime.parse(KafkaProbe.header(record, "ce_time"));
        JsonNode data = json.readTree(record.value());
        assertEquals(orderId, data.get("orderId").asText());
        assertEquals(resident, data.get("residentId").asText());
        assertEquals(6000, data.get("priceFen").asLong());
        assertEquals(480, data.get("serviceFeeFen").asLong());
        assertEquals("PET", data.get("categoryCode").asText());
    }

    @Test
    void theSameEventDeliveredTwiceHasOneEffect() throws Exception {
        String resident = newId("r");
        String orderId = post(resident);
        String eventId = UUID.randomUUID().toString();
        String body = "{\"orderId\":\"%s\",\"workerId\":\"w-dup\",\"offerId\":\"%s\",\"distanceKm\":1.2,\"assignedAt\":\"%s\"}"
                .formatted(orderId, UUID.randomUUID(), OffsetDateTime.now());
        KAFKA.publish("gig.matching", orderId, eventId, "gig.match.assigned.v1", body);
        RecordMetadata second = KAFKA.publish("gig.matching", orderId, eventId, "gig.match.assigned.v1", body);
        assertTrue(KAFKA.awaitConsumed("order-service", second, Duration.ofSeconds(30)), "the redelivery was consumed");

        get(resident, orderId).body("status", is("ASSIGNED")).body("workerId", is("w-dup"));
        as("resident", resident).get("/orders/" + orderId + "/history").then().statusCode(200)
                .body("to", contains("POSTED", "ASSIGNED"));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.inbox WHERE event_id = '" + eventId + "'"));
    }

    @Test
    void aValidEventAfterPoisonStillTakesEffect() {
        String resident = newId("r");
        String orderId = post(resident);
        KAFKA.publishRaw("gig.matching", orderId, "{not json", Map.of(
                "ce_id", UUID.randomUUID().toString(), "ce_type", "gig.match.assigned.v1",
                "ce_source", "/gig/test", "ce_time", OffsetDateTime.now().toString()));
        KAFKA.publishRaw("gig.matching", orderId, "{}", Map.of()); // no CloudEvents headers at all
        assign(orderId, "w-after-poison");

        awaitStatus(resident, orderId, "ASSIGNED");
        List<ConsumerRecord<String, String>> dead = KAFKA.awaitKey("gig.dlq.order-service", orderId, 2, Duration.ofSeconds(30));
        assertEquals(2, dead.size());
        assertEquals("{not json", dead.get(0).value());
        assertTrue(KafkaProbe.header(dead.get(0), "dead-letter-reason").contains("not valid JSON"),
                KafkaProbe.header(dead.get(0), "dead-letter-reason"));
        assertTrue(KafkaProbe.header(dead.get(1), "dead-letter-reason").contains("missing CloudEvents header"));
    }

    @Test
    void theWrongRoleIs403() {
        as("finance", "f-1").body(orderBody("PET_CARE", 6000)).post("/orders")
                .then().statusCode(403).contentType("application/problem+json").body("status", is(403));
        as("worker", "w-1").post("/orders/" + UUID.randomUUID() + "/confirm").then().statusCode(403);
    }

    @Test
    void anInvalidBodyIs400NamingTheFieldAndWritesNothing() throws SQLException {
        long orders = DbProbe.count("SELECT count(*) FROM orders.gig_order");
        long events = DbProbe.count("SELECT count(*) FROM orders.outbox");
        as("resident", newId("r")).body(orderBody("PET_CARE", 0)).post("/orders").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("priceFen"));
        as("resident", newId("r")).body("{\"priceFen\":\"lots\"}").post("/orders").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", contains("priceFen"));
        as("resident", newId("r")).body("{oops").post("/orders").then().statusCode(400)
                .contentType("application/problem+json");
        assertEquals(orders, DbProbe.count("SELECT count(*) FROM orders.gig_order"));
        assertEquals(events, DbProbe.count("SELECT count(*) FROM orders.outbox"));
    }

}
