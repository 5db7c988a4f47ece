package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Registers workers and posts orders (as order-service would) around a point of its own per test. */
final class MatchingTestSupport {

    static final KafkaProbe KAFKA = KafkaProbe.forTests();

    /** A fresh spot, far from every other test's workers. */
    final double lat = ThreadLocalRandom.current().nextDouble(20, 45);
    final double lon = ThreadLocalRandom.current().nextDouble(80, 125);

    static RequestSpecification as(String role, String subject) {
        return given().auth().oauth2(DevTokens.mint(role, subject)).contentType(ContentType.JSON);
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a worker {@code metersNorth} of the spot. */
    String worker(String codes, double metersNorth, double radiusKm) {
        String id = newId("w");
        String skills = String.join("\",\"", codes.split(","));
        as("worker", id).body("""
                {"name":"师傅 %s","serviceCodes":["%s"],"home":{"lat":%s,"lon":%s},"radiusKm":%s}"""
                .formatted(id, skills, lat + metersNorth / 111_320.0, lon, radiusKm))
                .post("/workers").then().statusCode(201);
        verify(id);
        return id;
    }

    /** Registers a worker who has not verified their real name yet (they see offers, cannot accept). */
    String unverifiedWorker(String codes, double metersNorth, double radiusKm) {
        String id = newId("w");
        as("worker", id).body("""
                {"name":"新人 %s","serviceCodes":["%s"],"home":{"lat":%s,"lon":%s},"radiusKm":%s}"""
                .formatted(id, String.join("\",\"", codes.split(",")), lat + metersNorth / 111_320.0, lon, radiusKm))
                .post("/workers").then().statusCode(201);
        return id;
    }

    /** Verifies the worker's real name with a well-formed number the simulated register knows. */
    static void verify(String workerId) {
        as("worker", workerId).body("{\"name\":\"张三\",\"idNumber\":\"" + idNumber("19900307", 123) + "\"}")
                .post("/workers/" + workerId + "/verification").then().statusCode(200);
    }

    /** A well-formed ID number (region 110105, Beijing Chaoyang) born on {@code yyyymmdd} with this sequence. */
    static String idNumber(String yyyymmdd, int sequence) {
        String first = "110105" + yyyymmdd + String.format("%03d", sequence);
        return first + cn.jiujinbang.matching.domain.IdentityNumber.checkCharacter(first);
    }

    /**
     * Publishes gig.order.posted.v1 for an order at the spot and, as settlement would once the channel
     * holds the resident's money, gig.payment.held.v1; returns the order id.
     */
    String postOrder(String serviceCode) {
        String orderId = postOrderAwaitingPayment(serviceCode);
        paymentHeld(orderId);
        return orderId;
    }

    /** Publishes gig.order.posted.v1 only: matching waits for the payment to be held. */
    String postOrderAwaitingPayment(String serviceCode) {
        String orderId = UUID.randomUUID().toString();
        publishPosted(orderId, serviceCode);
        return orderId;
    }

    void publishPosted(String orderId, String serviceCode) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        publishPosted(orderId, serviceCode, now.plusHours(1), now.plusHours(3));
    }

    void publishPosted(String orderId, String serviceCode, OffsetDateTime windowStart, OffsetDateTime windowEnd) {
        KAFKA.publish("gig.orders", orderId, "gig.order.posted.v1", """
                {"orderId":"%s","residentId":"r-1","serviceCode":"%s","categoryCode":"PET",
                 "location":{"lat":%s,"lon":%s,"address":"九龙坡"},"window":{"start":"%s","end":"%s"},
                 "priceFen":6000,"serviceFeeFen":480,"postedAt":"%s"}"""
                .formatted(orderId, serviceCode, lat, lon, windowStart, windowEnd, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    /** An order at the spot for this window, its payment held; returns the order id. */
    String postOrder(String serviceCode, OffsetDateTime windowStart, OffsetDateTime windowEnd) {
        String orderId = UUID.randomUUID().toString();
        publishPosted(orderId, serviceCode, windowStart, windowEnd);
        paymentHeld(orderId);
        return orderId;
    }

    /** settlement's gig.payment.held.v1 for the order. */
    static org.apache.kafka.clients.producer.RecordMetadata paymentHeld(String orderId) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return KAFKA.publish("gig.settlement", orderId, UUID.randomUUID().toString(), "gig.payment.held.v1", """
                {"orderId":"%s","residentId":"r-1","heldFen":6480,"expiresAt":"%s","heldAt":"%s"}"""
                .formatted(orderId, now.plusDays(7), now));
    }

    /** settlement's gig.payment.failed.v1 for the order. */
    static org.apache.kafka.clients.producer.RecordMetadata paymentFailed(String orderId) {
        return KAFKA.publish("gig.settlement", orderId, UUID.randomUUID().toString(), "gig.payment.failed.v1", """
                {"orderId":"%s","residentId":"r-1","reason":"the channel refuses this resident","failedAt":"%s"}"""
                .formatted(orderId, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    static List<Map<String, Object>> offers(String workerId, String status) {
        return as("worker", workerId).queryParam("status", status).get("/workers/" + workerId + "/offers")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    static String offerFor(String workerId, String orderId) {
        return offers(workerId, "OFFERED").stream().filter(o -> orderId.equals(o.get("orderId")))
                .map(o -> (String) o.get("offerId")).findFirst().orElse(null);
    }
}
