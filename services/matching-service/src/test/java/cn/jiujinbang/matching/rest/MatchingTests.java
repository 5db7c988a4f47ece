package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.devinfra.ServiceContract;
import cn.jiujinbang.matching.repository.MatchingRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class MatchingTests extends ServiceContract {

    private final ObjectMapper json = new ObjectMapper();

    MatchingTests() {
        super("matching", "matching_svc", List.of("flyway_schema_history", "outbox", "inbox", "notification", "notification_preference", "worker", "match_request", "offer", "audit_entry",
                        "worker_verification", "worker_agreement"),
                "gig.orders", "gig.dlq.matching-service", "/workers");
    }

    @Override
    protected SampleEvent harmlessEvent(String orderId) {
        return cancelledBeforeAssignment(orderId);
    }

    @Override
    protected SampleEvent poisonousContents(String orderId) {
        return new SampleEvent("gig.order.cancelled.v1", """
                {"orderId":"order-%s","residentId":"r-1","wasAssigned":false,"priceFen":5000,"serviceFeeFen":400,
                 "cancelledAt":"%s"}""".formatted(orderId, OffsetDateTime.now()), "orderId is not a UUID");
    }

    @Test
    void aPostedOrderReachesTheNearestEligibleWorkersOnly() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String near = spot.worker("PET_CARE,DOG_WALKING", 500, 3);
        String alsoNear = spot.worker("PET_CARE", 1500, 5);
        String far = spot.worker("PET_CARE", 25_000, 30);
        String unskilled = spot.worker("PLUMBING_REPAIR", 300, 5);
        String unavailable = spot.worker("PET_CARE", 200, 5);
        as("worker", unavailable).body("{\"available\":false}").put("/workers/" + unavailable + "/availability")
                .then().statusCode(200).body("available", is(false));
        String shortRadius = spot.worker("PET_CARE", 2000, 1); // the order is beyond their own radius

        String orderId = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(near, orderId) != null && offerFor(alsoNear, orderId) != null);
        for (String nobody : List.of(far, unskilled, unavailable, shortRadius)) {
            assertTrue(offers(nobody, null).isEmpty(), nobody + " must not get an offer");
        }
        Map<String, Object> offer = offers(near, "OFFERED").get(0);
        assertEquals("PET_CARE", offer.get("serviceCode"));
        assertEquals(6000, offer.get("priceFen"));
        assertEquals(0.5, ((Number) offer.get("distanceKm")).doubleValue(), 0.01);
        OffsetDateTime.parse((String) offer.get("expiresAt"));
    }

    @Test
    void aDuplicatePostingCreatesNoSecondSetOfOffers() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 3);
        String orderId = UUID.randomUUID().toString();
        String body = """
                {"orderId":"%s","residentId":"r-1","serviceCode":"PET_CARE","categoryCode":"PET",
                 "location":{"lat":%s,"lon":%s,"address":"x"},"window":null,"priceFen":5000,"serviceFeeFen":400,"postedAt":"%s"}"""
                .formatted(orderId, spot.lat, spot.lon, OffsetDateTime.now());
        String eventId = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.posted.v1", body);
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.posted.v1", body);               // redelivery
        RecordMetadata last = KAFKA.publish("gig.orders", orderId, UUID.randomUUID().toString(), "gig.order.posted.v1", body); // re-announcement
        assertTrue(KAFKA.awaitConsumed("matching-service", last, Duration.ofSeconds(30)));
        RecordMetadata held = MatchingTestSupport.paymentHeld(orderId);
        MatchingTestSupport.paymentHeld(orderId); // settlement announces a hold once, but redelivery happens
        assertTrue(KAFKA.awaitConsumed("matching-service", held, Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(w, orderId) != null);
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.offer WHERE order_id = '" + orderId + "'"));
        assertEquals(1, offers(w, "OFFERED").size());
    }

    @Test
    void anOrderIsOfferedOnlyOnceTheResidentsPaymentIsHeldWhicheverEventArrivesFirst() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 3);
        String waiting = spot.postOrderAwaitingPayment("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> DbProbe.count(
                "SELECT count(*) FROM matching.match_request WHERE status = 'AWAITING_PAYMENT' AND order_id = '" + waiting + "'") == 1);
        assertNull(offerFor(w, waiting), "no offer before the money is held");
        MatchingTestSupport.paymentHeld(waiting);
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(w, waiting) != null);

        // the hold's answer can arrive before the posting (different topics)
        String heldFirst = UUID.randomUUID().toString();
        RecordMetadata held = MatchingTestSupport.paymentHeld(heldFirst);
        assertTrue(KAFKA.awaitConsumed("matching-service", held, Duration.ofSeconds(30)));
        spot.publishPosted(heldFirst, "PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(w, heldFirst) != null);
    }

    @Test
    void postingsAndHoldsThatArriveTogetherAreAllOffered() {
        // the two consumers handle an order's posting and its hold at the same moment in two
        // transactions: neither may miss the other (each waits on the order's payment row)
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 3);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String orderId = UUID.randomUUID().toString();
            orders.add(orderId);
            if (i % 2 == 0) {
                spot.publishPosted(orderId, "PET_CARE");
                MatchingTestSupport.paymentHeld(orderId);
            } else {
                MatchingTestSupport.paymentHeld(orderId);
                spot.publishPosted(orderId, "PET_CARE");
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> offers(w, "OFFERED").stream().map(o -> o.get("orderId"))
                .collect(java.util.stream.Collectors.toSet()).containsAll(orders));
    }

    @Test
    void anOrderWhoseHoldWasRefusedIsNeverOffered() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String w = spot.worker("PET_CARE", 300, 3);
        String refused = spot.postOrderAwaitingPayment("PET_CARE");
        RecordMetadata failed = MatchingTestSupport.paymentFailed(refused);
        assertTrue(KAFKA.awaitConsumed("matching-service", failed, Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(30)).until(() -> DbProbe.count(
                "SELECT count(*) FROM matching.match_request WHERE status = 'PAYMENT_FAILED' AND order_id = '" + refused + "'") == 1);
        MatchingTestSupport.paymentHeld(refused); // a late or contradictory answer changes nothing: the first stands
        String control = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(w, control) != null);
        assertNull(offerFor(w, refused));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM matching.offer WHERE order_id = '" + refused + "'"));
    }

    @Test
    void aCancelledOrdersOffersDisappearAndAnAssignedWorkerIsFreed() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String a = spot.worker("PET_CARE", 300, 3);
        String b = spot.worker("PET_CARE", 600, 3);
        String open = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(a, open) != null && offerFor(b, open) != null);
        KAFKA.publish("gig.orders", open, "gig.order.cancelled.v1",
                "{\"orderId\":\"%s\",\"residentId\":\"r-1\",\"workerId\":null,\"wasAssigned\":false,\"categoryCode\":\"PET\",\"priceFen\":6000,\"serviceFeeFen\":480,\"reason\":\"changed my mind\",\"cancelledAt\":\"%s\"}"
                        .formatted(open, OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(a, open) == null && offerFor(b, open) == null);

        String taken = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(a, taken) != null);
        as("worker", a).post("/offers/" + offerFor(a, taken) + "/accept").then().statusCode(200).body("workerId", is(a));
        as("worker", a).get("/workers/" + a).then().body("activeJobs", is(1));
        KAFKA.publish("gig.orders", taken, "gig.order.cancelled.v1",
                "{\"orderId\":\"%s\",\"residentId\":\"r-1\",\"workerId\":\"%s\",\"wasAssigned\":true,\"categoryCode\":\"PET\",\"priceFen\":6000,\"serviceFeeFen\":480,\"reason\":null,\"cancelledAt\":\"%s\"}"
                        .formatted(taken, a, OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(0).equals(
                as("worker", a).get("/workers/" + a).then().extract().path("activeJobs")));
    }

    @Test
    void aWorkerCannotReadOrAnswerAnotherWorkersOffers() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String owner = spot.worker("PET_CARE", 300, 3);
        String other = spot.worker("HOME_COOKING", 300, 3);
        String orderId = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(owner, orderId) != null);
        String offerId = offerFor(owner, orderId);
        as("worker", other).get("/workers/" + owner + "/offers").then().statusCode(404);
        as("worker", other).post("/offers/" + offerId + "/accept").then().statusCode(404);
        as("worker", other).post("/offers/" + offerId + "/decline").then().statusCode(404);
        as("resident", "r-1").post("/offers/" + offerId + "/accept").then().statusCode(403);
        assertEquals(offerId, offerFor(owner, orderId), "still open for its worker");
    }

    @Test
    void registrationRejectsBadInputNamingTheFieldAndWritesNothing() throws SQLException {
        long before = DbProbe.count("SELECT count(*) FROM matching.worker");
        String id = newId("w");
        as("worker", id).body("{\"name\":\"李\",\"serviceCodes\":[\"PET_CARE\",\"TIME_TRAVEL\"],\"home\":{\"lat\":29.5,\"lon\":106.5},\"radiusKm\":3}")
                .post("/workers").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("serviceCodes[1]"));
        as("worker", id).body("{\"name\":\"李\",\"serviceCodes\":[\"PET_CARE\"],\"home\":{\"lat\":29.5,\"lon\":106.5},\"radiusKm\":300}")
                .post("/workers").then().statusCode(400).body("errors.field", contains("radiusKm"));
        as("worker", id).body("{\"name\":\"李\",\"serviceCodes\":\"PET_CARE\"}").post("/workers").then().statusCode(400);
        as("resident", id).body("{}").post("/workers").then().statusCode(403);
        assertEquals(before, DbProbe.count("SELECT count(*) FROM matching.worker"));
    }

    /** A double tap on "register": one registration, the others 409, never a 500 (the race was a unique violation). */
    @Test
    void simultaneousRegistrationsOfOneWorkerMakeOneAndAnswerTheRest409() throws Exception {
        String id = newId("w");
        String body = "{\"name\":\"李\",\"serviceCodes\":[\"PET_CARE\"],\"home\":{\"lat\":29.5,\"lon\":106.5},\"radiusKm\":3}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return as("worker", id).body(body).post("/workers").statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> a : answers) {
                statuses.add(a.get());
            }
            assertEquals(1, statuses.stream().filter(st -> st == 201).count(), statuses.toString());
            assertEquals(11, statuses.stream().filter(st -> st == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.worker WHERE id = '" + id + "'"));
    }

    @Test
    void theNearbySearchUsesTheSpatialIndex() throws SQLException {
        String sql = MatchingRepository.CANDIDATES_SQL
                .replace(":lat", "29.5").replace(":lon", "106.5").replace(":radius", "3000.0")
                .replace(":serviceCode", "'PET_CARE'").replace(":orderId", "'" + UUID.randomUUID() + "'::uuid")
                .replace(":pool", "20");
        try (Connection c = DbProbe.superuser()) {
            c.createStatement().execute("SET search_path = matching");
            c.createStatement().execute("SET enable_seqscan = off"); // a tiny test table would otherwise be scanned
            c.createStatement().execute(MatchingRepository.NEAREST_FIRST_PLAN.replace("SET LOCAL", "SET"));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertTrue(plan.toString().contains("Index Scan using worker_home_available"), plan.toString());
            assertTrue(plan.toString().contains("Order By"), "walks the index nearest-first:\n" + plan);
        }
    }

    @Test
    void whatAnAdminReadsOfWorkersProfilesIsInTheAuditTrailAndAWorkersOwnReadsAreNot() {
        String worker = new MatchingTestSupport().worker("PET_CARE", 0, 3);
        String admin = newId("a");
        as("worker", worker).get("/workers/" + worker).then().statusCode(200);
        assertEquals(List.of(), cn.jiujinbang.devinfra.AuditProbe.entriesOf(worker), "a worker reading their own profile");

        as("admin", admin).get("/workers/" + worker).then().statusCode(200);
        as("admin", admin).queryParam("size", "10").get("/workers").then().statusCode(200);

        List<Map<String, Object>> entries = cn.jiujinbang.devinfra.AuditProbe.entriesOf(admin);
        assertEquals(List.of("WORKER_VIEWED", "WORKERS_LISTED"), entries.stream().map(e -> e.get("action")).toList());
        assertEquals("worker " + worker, entries.get(0).get("subject"));
        assertEquals(Map.of("page", 0, "size", 10), entries.get(1).get("details"));
    }

    @Test
    void aResidentsRatingMovesTheWorkersRatingOnceAsABayesianAverage() {
        String worker = new MatchingTestSupport().worker("PET_CARE", 0, 3);
        as("worker", worker).get("/workers/" + worker).then().statusCode(200).body("rating", is(4.5f));
        String orderId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String rated = """
                {"orderId":"%s","residentId":"r-1","workerId":"%s","stars":5,"ratedAt":"%s"}"""
                .formatted(orderId, worker, java.time.OffsetDateTime.now());
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.rated.v1", rated);
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.rated.v1", rated); // redelivered: counts once
        double expected = (4.5 * 5 + 5) / 6;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected,
                as("worker", worker).get("/workers/" + worker).then().statusCode(200).extract().jsonPath().getDouble("rating"), 1e-6));
        // a later rating of another order still counts: the first was applied once, not twice
        String other = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", other, "gig.order.rated.v1", """
                {"orderId":"%s","residentId":"r-2","workerId":"%s","stars":3,"ratedAt":"%s"}"""
                .formatted(other, worker, java.time.OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals((4.5 * 5 + 8) / 7,
                as("worker", worker).get("/workers/" + worker).then().statusCode(200).extract().jsonPath().getDouble("rating"), 1e-6));
        // an admin withdrew the 3-star rating as abusive: only the 5 stars count
        KAFKA.publish("gig.orders", other, "gig.order.rating-withdrawn.v1", """
                {"orderId":"%s","workerId":"%s","stars":3,"withdrawnAt":"%s"}""".formatted(other, worker, java.time.OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected,
                as("worker", worker).get("/workers/" + worker).then().statusCode(200).extract().jsonPath().getDouble("rating"), 1e-6));
    }

    @Test
    void aRatingChangesTheWorkersRankInTheNextMatch() {
        MatchingTestSupport spot = new MatchingTestSupport();
        List<String> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            workers.add(spot.worker("PET_CARE", 500 + 10 * i, 3)); // one distance band: rank by rating, then load, then id
        }
        String first = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(20)).until(() -> workers.stream().filter(w -> offerFor(w, first) != null).count() == 5);
        String rated = workers.stream().filter(w -> offerFor(w, first) != null).findFirst().orElseThrow();
        String left = workers.stream().filter(w -> offerFor(w, first) == null).findFirst().orElseThrow();

        String ratedOrder = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", ratedOrder, "gig.order.rated.v1", """
                {"orderId":"%s","residentId":"r-1","workerId":"%s","stars":1,"ratedAt":"%s"}"""
                .formatted(ratedOrder, rated, java.time.OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> as("worker", rated).get("/workers/" + rated).then()
                .extract().jsonPath().getDouble("rating") < 4.0);

        String next = spot.postOrder("PET_CARE");
        await().atMost(Duration.ofSeconds(20)).until(() -> workers.stream().filter(w -> offerFor(w, next) != null).count() == 5);
        assertNull(offerFor(rated, next), "one star moved them from the top five to sixth");
        assertNotNull(offerFor(left, next), "the sixth moved up");
    }
}
