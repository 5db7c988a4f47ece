package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class OrderApiTests {

    @Test
    void theCatalogHasSevenCategoriesAndFiftySixServicesWithoutLogin() {
        given().get("/catalog").then().statusCode(200)
                .body("categories.size()", is(7))
                .body("categories.services.flatten().size()", is(56))
                .body("categories.services.flatten().code", hasItems("PET_CARE", "MEDICAL_ESCORT"))
                .body("categories[0].services[0].guidePriceFen", greaterThan(0));
    }

    @Test
    void aPostedOrderCarriesItsQuoteAndLocation() {
        String resident = newId("r");
        as("resident", resident).body(orderBody("MEDICAL_ESCORT", 10_000)).post("/orders").then().statusCode(201)
                .header("Location", containsString("/orders/"))
                .body("status", is("POSTED")).body("residentId", is(resident))
                .body("priceFen", is(10_000)).body("serviceFeeFen", is(600)).body("totalFen", is(10_600))
                .body("categoryCode", is("HEALTH")).body("location.address", is("劳动三村 3栋"));
    }

    @Test
    void theCallerIsTheTokensSubjectNotANameTheClientChose() {
        String resident = newId("r");
        String token = cn.jiujinbang.devinfra.DevTokens.sign(cn.jiujinbang.devinfra.DevTokens.claims("resident", resident)
                .upn("someone-else").preferredUserName("someone-else"));
        given().auth().oauth2(token).contentType("application/json").body(orderBody("PET_CARE", 6000)).post("/orders")
                .then().statusCode(201).body("residentId", is(resident));
    }

    @Test
    void anIdempotentRetryReturnsTheFirstOrderAndCreatesNoSecondEvent() throws SQLException {
        String resident = newId("r");
        String body = orderBody("PET_CARE", 6000);
        String first = as("resident", resident).header("Idempotency-Key", "k-1").body(body).post("/orders")
                .then().statusCode(201).extract().path("id");
        String again = as("resident", resident).header("Idempotency-Key", "k-1").body(body).post("/orders")
                .then().statusCode(201).extract().path("id");
        assertEquals(first, again);
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.gig_order WHERE resident_id = '" + resident + "'"));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.outbox WHERE event_key = '" + first + "'"));
        as("resident", resident).header("Idempotency-Key", "k-1").body(orderBody("PET_CARE", 7000)).post("/orders")
                .then().statusCode(422).contentType("application/problem+json").body("errors.field", contains("Idempotency-Key"));
        // the same key of another resident is another request
        as("resident", newId("r")).header("Idempotency-Key", "k-1").body(body).post("/orders").then().statusCode(201);
    }

    @Test
    void fiftyConcurrentRetriesWithOneKeyCreateOneOrder() throws Exception {
        String resident = newId("r");
        String body = orderBody("DOG_WALKING", 3000);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(pool.submit(() -> {
                start.await();
                return as("resident", resident).header("Idempotency-Key", "burst").body(body).post("/orders")
                        .then().statusCode(201).extract().<String>path("id");
            }));
        }
        start.countDown();
        Set<String> distinct = new HashSet<>();
        for (Future<String> id : ids) {
            distinct.add(id.get());
        }
        pool.shutdown();
        assertEquals(1, distinct.size());
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.gig_order WHERE resident_id = '" + resident + "'"));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.outbox WHERE event_key = '" + distinct.iterator().next() + "'"));
    }

    @Test
    void eachValidationRuleAnswers400NamingTheFieldAndWritesNothing() throws SQLException {
        String resident = newId("r");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String[][] cases = {
                {"serviceCode", "{\"serviceCode\":\"TIME_TRAVEL\",\"description\":\"x\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                {"location.lat", "{\"serviceCode\":\"PET_CARE\",\"description\":\"x\",\"location\":{\"lat\":95,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                {"location.lon", "{\"serviceCode\":\"PET_CARE\",\"description\":\"x\",\"location\":{\"lat\":29.5,\"lon\":-181,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                {"priceFen", "{\"serviceCode\":\"PET_CARE\",\"description\":\"x\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":50000000}"},
                {"description", "{\"serviceCode\":\"PET_CARE\",\"description\":\"  \",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                // found by make fuzz: a NUL in a text field reached PostgreSQL and was a 500
                {"description", "{\"serviceCode\":\"PET_CARE\",\"description\":\"cat\\u0000\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                {"location.address", "{\"serviceCode\":\"PET_CARE\",\"description\":\"x\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\\u0007\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
                {"description", "{\"serviceCode\":\"PET_CARE\",\"description\":\"" + "长".repeat(501) + "\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}"},
        };
        long before = DbProbe.count("SELECT count(*) FROM orders.gig_order");
        for (String[] c : cases) {
            as("resident", resident).body(c[1].formatted(now.plusHours(1), now.plusHours(2))).post("/orders").then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", contains(c[0]));
        }
        String valid = "{\"serviceCode\":\"PET_CARE\",\"description\":\"x\",\"location\":{\"lat\":29.5,\"lon\":106.5,\"address\":\"a\"},\"window\":{\"start\":\"%s\",\"end\":\"%s\"},\"priceFen\":5000}";
        as("resident", resident).body(valid.formatted(now.minusHours(3), now.minusHours(2))).post("/orders").then()
                .statusCode(400).body("errors.field", contains("window.end")).body("errors[0].message", containsString("future"));
        as("resident", resident).body(valid.formatted(now.plusHours(3), now.plusHours(2))).post("/orders").then()
                .statusCode(400).body("errors.field", contains("window.end")).body("errors[0].message", containsString("after"));
        assertEquals(before, DbProbe.count("SELECT count(*) FROM orders.gig_order"));
    }

    @Test
    void theWholeLifeOfAnOrderIsRecordedAndAnnounced() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        start(worker, resident, id).statusCode(200).body("status", is("IN_PROGRESS"));
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200).body("status", is("AWAITING_CONFIRMATION"));
        as("resident", resident).post("/orders/" + id + "/confirm").then().statusCode(200).body("status", is("COMPLETED"));
        as("worker", worker).get("/orders/" + id).then().statusCode(200).body("workerId", is(worker));

        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", id, 3, Duration.ofSeconds(30));
        assertEquals(List.of("gig.order.posted.v1", "gig.order.started.v1", "gig.order.completed.v1"),
                events.stream().map(r -> KafkaProbe.header(r, "ce_type")).toList());
        String completed = events.get(2).value();
        assertTrue(completed.contains("\"workerId\":\"" + worker + "\"") && completed.contains("\"serviceFeeFen\":480")
                && completed.contains("\"categoryCode\":\"PET\"") && completed.contains("\"autoConfirmed\":false"), completed);

        KAFKA.publish("gig.settlement", id, "gig.settlement.settled.v1",
                "{\"orderId\":\"%s\",\"workerId\":\"%s\",\"kind\":\"ORDER\",\"grossFen\":6000,\"serviceFeeFen\":480,\"taxFen\":0,\"netFen\":6000,\"chargedFen\":6480,\"settledAt\":\"%s\"}"
                        .formatted(id, worker, OffsetDateTime.now()));
        awaitStatus(resident, id, "SETTLED");
        as("resident", resident).get("/orders/" + id + "/history").then().statusCode(200)
                .body("to", contains("POSTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CONFIRMATION", "COMPLETED", "SETTLED"))
                .body("actor", contains("resident:" + resident, "system:matching", "worker:" + worker, "worker:" + worker,
                        "resident:" + resident, "system:settlement"));
    }

    @Test
    void illegalStepsAre409AndStrangersSeeNothing() {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        as("resident", resident).post("/orders/" + id + "/confirm").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("POSTED"));
        as("resident", newId("r")).get("/orders/" + id).then().statusCode(404);
        as("resident", newId("r")).post("/orders/" + id + "/cancel").then().statusCode(404);
        as("worker", worker).get("/orders/" + id).then().statusCode(404);
        as("worker", worker).body("{\"code\":\"0000\"}").post("/orders/" + id + "/start").then().statusCode(404);
        as("worker", worker).post("/orders/" + id + "/cancel").then().statusCode(403);
        as("resident", resident).post("/orders/" + id + "/start").then().statusCode(403);
        as("resident", newId("r")).get("/orders/" + id + "/history").then().statusCode(404);
        as("resident", newId("r")).post("/orders/" + id + "/confirm").then().statusCode(404);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(404);
        as("worker", worker).post("/orders/" + id + "/confirm").then().statusCode(403);
        as("finance", "f-1").get("/orders/" + id).then().statusCode(403);
        as("admin", "a-1").get("/orders/" + id).then().statusCode(200);
        as("admin", "a-1").get("/orders/" + id + "/history").then().statusCode(200);
        as("resident", resident).get("/orders/" + UUID.randomUUID()).then().statusCode(404);
        as("resident", resident).get("/orders/not-a-uuid").then().statusCode(404);

        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        as("worker", newId("w")).body("{\"code\":\"" + startCode(resident, id) + "\"}").post("/orders/" + id + "/start")
                .then().statusCode(404);
        start(worker, resident, id).statusCode(200);
        as("resident", resident).post("/orders/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void listsOnlyOwnOrdersInStablePages() {
        String resident = newId("r");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(post(resident));
        }
        post(newId("r"));
        List<String> page0 = as("resident", resident).get("/orders?size=2&page=0").then().statusCode(200)
                .body("total", is(5)).body("items.size()", is(2)).extract().path("items.id");
        List<String> page1 = as("resident", resident).get("/orders?size=2&page=1").then().extract().path("items.id");
        List<String> page2 = as("resident", resident).get("/orders?size=2&page=2").then().extract().path("items.id");
        List<String> all = new ArrayList<>(page0);
        all.addAll(page1);
        all.addAll(page2);
        assertEquals(Set.copyOf(mine), Set.copyOf(all));
        assertEquals(5, all.size());
        as("resident", resident).get("/orders?status=POSTED").then().body("total", is(5));
        as("resident", resident).get("/orders?status=FLYING").then().statusCode(400).body("errors.field", contains("status"));
        as("resident", resident).get("/orders?size=1000").then().statusCode(400).body("errors.field", contains("size"));
        // an offset that overflows an int was a 500
        as("resident", resident).get("/orders?page=2147483647&size=100").then().statusCode(400).body("errors.field", contains("page"));
    }

    @Test
    void cancellationAnnouncesWhetherAWorkerWasAssignedAndALateAssignmentKeepsItCancelled() {
        String resident = newId("r");
        String worker = newId("w");
        String assigned = post(resident);
        assign(assigned, worker);
        awaitStatus(resident, assigned, "ASSIGNED");
        as("resident", resident).body("{\"reason\":\"no longer needed\"}").post("/orders/" + assigned + "/cancel")
                .then().statusCode(200).body("status", is("CANCELLED"));
        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", assigned, 2, Duration.ofSeconds(30));
        assertTrue(events.get(1).value().contains("\"wasAssigned\":true"), events.get(1).value());
        assertTrue(events.get(1).value().contains("\"workerId\":\"" + worker + "\""));

        String early = post(resident);
        as("resident", resident).post("/orders/" + early + "/cancel").then().statusCode(200);
        assign(early, worker); // matching decided after the resident cancelled
        List<ConsumerRecord<String, String>> again = KAFKA.awaitKey("gig.orders", early, 3, Duration.ofSeconds(30));
        assertEquals(3, again.size(), "posted, cancelled, and a second cancelled naming the worker to release");
        assertTrue(again.get(1).value().contains("\"wasAssigned\":false"));
        assertTrue(again.get(2).value().contains("\"workerId\":\"" + worker + "\"") && again.get(2).value().contains("\"wasAssigned\":false"));
        get(resident, early).body("status", is("CANCELLED"));
    }

    @Test
    void anUnmatchedDecisionEndsTheOrder() {
        String resident = newId("r");
        String id = post(resident);
        KAFKA.publish("gig.matching", id, "gig.match.unmatched.v1",
                "{\"orderId\":\"%s\",\"rounds\":3,\"reason\":\"nobody nearby\",\"decidedAt\":\"%s\"}".formatted(id, OffsetDateTime.now()));
        awaitStatus(resident, id, "UNMATCHED");
        as("resident", resident).get("/orders/" + id + "/history").then().body("reason", hasItem("nobody nearby"));
    }

    private static void paymentFailed(String orderId) {
        KAFKA.publish("gig.settlement", orderId, "gig.payment.failed.v1",
                "{\"orderId\":\"%s\",\"residentId\":\"r\",\"reason\":\"card declined\",\"failedAt\":\"%s\"}"
                        .formatted(orderId, OffsetDateTime.now()));
    }

    @Test
    void aRefusedPaymentEndsAnOrderNotYetStartedAndReleasesItsOffersOrWorker() {
        String resident = newId("r");
        String posted = post(resident);
        paymentFailed(posted);
        awaitStatus(resident, posted, "PAYMENT_FAILED");
        as("resident", resident).get("/orders/" + posted + "/history").then().body("reason", hasItem(containsString("card declined")));
        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", posted, 2, Duration.ofSeconds(30));
        assertEquals("gig.order.cancelled.v1", KafkaProbe.header(events.get(1), "ce_type"),
                "matching withdraws the order's offers");
        assertTrue(events.get(1).value().contains("\"wasAssigned\":false"));
        as("resident", resident).post("/orders/" + posted + "/cancel").then().statusCode(409);

        String assigned = post(resident);
        String worker = newId("w");
        assign(assigned, worker);
        awaitStatus(resident, assigned, "ASSIGNED");
        paymentFailed(assigned);
        awaitStatus(resident, assigned, "PAYMENT_FAILED");
        List<ConsumerRecord<String, String>> released = KAFKA.awaitKey("gig.orders", assigned, 2, Duration.ofSeconds(30));
        assertTrue(released.get(1).value().contains("\"workerId\":\"" + worker + "\"")
                && released.get(1).value().contains("\"wasAssigned\":true"), "matching frees the worker");

        String started = post(resident);
        assign(started, worker);
        awaitStatus(resident, started, "ASSIGNED");
        start(worker, resident, started).statusCode(200);
        paymentFailed(started);
        String control = post(resident);
        paymentFailed(control);
        awaitStatus(resident, control, "PAYMENT_FAILED"); // the started order's event came before this one
        get(resident, started).body("status", is("IN_PROGRESS")); // work under way is finished, charged directly
    }

    @Test
    void whatAnAdminReadsOfResidentsOrdersIsInTheAuditTrailAndAResidentsOwnReadsAreNot() {
        String resident = newId("r");
        String orderId = post(resident);
        String admin = newId("a");
        get(resident, orderId).statusCode(200);
        as("resident", resident).get("/orders/" + orderId + "/history").then().statusCode(200);
        assertEquals(List.of(), cn.jiujinbang.devinfra.AuditProbe.entriesOf(resident), "a resident reading their own order");

        as("admin", admin).get("/orders/" + orderId).then().statusCode(200);
        as("admin", admin).get("/orders/" + orderId + "/history").then().statusCode(200);
        as("admin", admin).queryParam("status", "POSTED").queryParam("size", "5").get("/orders").then().statusCode(200);
        as("admin", admin).get("/orders/" + UUID.randomUUID()).then().statusCode(404);

        List<java.util.Map<String, Object>> entries = cn.jiujinbang.devinfra.AuditProbe.entriesOf(admin);
        assertEquals(List.of("ORDER_VIEWED", "ORDER_HISTORY_VIEWED", "ORDERS_LISTED"),
                entries.stream().map(e -> e.get("action")).toList(), "an unknown order shows nothing and records nothing");
        assertEquals("order " + orderId, entries.get(0).get("subject"));
        assertEquals(java.util.Map.of("residentId", resident), entries.get(0).get("details"));
        assertEquals(java.util.Map.of("status", "POSTED", "page", 0, "size", 5), entries.get(2).get("details"));
        assertNotNull(entries.get(0).get("at"));
    }

    @Test
    void anAdminSeesHowManyOrdersAreInEachStatusWithoutAnAuditEntry() {
        String admin = newId("a");
        int before = as("admin", admin).get("/orders/status-counts").then().statusCode(200).extract().path("POSTED");
        post(newId("r"));
        as("admin", admin).get("/orders/status-counts").then().statusCode(200)
                .body("POSTED", greaterThanOrEqualTo(before + 1)).body("SETTLED", greaterThanOrEqualTo(0))
                .body("size()", is(9));
        assertEquals(List.of(), cn.jiujinbang.devinfra.AuditProbe.entriesOf(admin), "numbers only: nothing personal read");
        for (String role : List.of("resident", "worker", "finance")) {
            as(role, "x-1").get("/orders/status-counts").then().statusCode(403);
        }
    }

    @Test
    void aResidentRatesTheWorkerOnceAfterConfirmingAndTheWorkerReadsIt() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        as("resident", resident).body("{\"stars\":5}").post("/orders/" + id + "/rating").then().statusCode(409)
                .body("detail", containsString("confirmed"));
        start(worker, resident, id).statusCode(200);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200);
        as("resident", resident).post("/orders/" + id + "/confirm").then().statusCode(200);

        for (String bad : List.of("{\"stars\":0}", "{\"stars\":6}", "{}", "{\"stars\":4,\"comment\":\"" + "好".repeat(501) + "\"}")) {
            as("resident", resident).body(bad).post("/orders/" + id + "/rating").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        as("resident", newId("r")).body("{\"stars\":1}").post("/orders/" + id + "/rating").then().statusCode(404);
        as("resident", resident).get("/orders/" + id + "/rating").then().statusCode(404);
        as("resident", resident).body("{\"stars\":4,\"comment\":\"准时，猫很开心\"}").post("/orders/" + id + "/rating")
                .then().statusCode(201).body("stars", is(4)).body("workerId", is(worker));
        as("resident", resident).body("{\"stars\":1}").post("/orders/" + id + "/rating").then().statusCode(409)
                .body("detail", containsString("once"));
        as("resident", resident).get("/orders/" + id + "/rating").then().statusCode(200).body("stars", is(4));
        as("worker", worker).get("/orders/" + id + "/rating").then().statusCode(200).body("comment", is("准时，猫很开心"));

        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", id, 4, Duration.ofSeconds(30));
        ConsumerRecord<String, String> rated = events.get(3);
        assertEquals("gig.order.rated.v1", KafkaProbe.header(rated, "ce_type"));
        assertTrue(rated.value().contains("\"stars\":4") && rated.value().contains("\"workerId\":\"" + worker + "\""), rated.value());

        as("worker", worker).get("/ratings/workers/" + worker).then().statusCode(200)
                .body("orderId", contains(id)).body("stars", contains(4)).body("comment", contains("准时，猫很开心"));
        as("worker", newId("w")).get("/ratings/workers/" + worker).then().statusCode(404);
        as("resident", resident).get("/ratings/workers/" + worker).then().statusCode(403);

        // an admin withdraws an abusive rating: it counts no more and no longer shows among the worker's ratings
        as("resident", resident).body("{\"reason\":\"x\"}").post("/orders/" + id + "/rating/report").then().statusCode(403);
        as("admin", "a-rep").body("{}").post("/orders/" + id + "/rating/report").then().statusCode(400);
        as("admin", "a-rep").body("{\"reason\":\"x\"}").post("/orders/" + UUID.randomUUID() + "/rating/report").then().statusCode(404);
        as("admin", "a-rep").body("{\"reason\":\"评价里有人身攻击\"}").post("/orders/" + id + "/rating/report").then()
                .statusCode(200).body("reported", is(true));
        as("admin", "a-rep").body("{\"reason\":\"again\"}").post("/orders/" + id + "/rating/report").then().statusCode(409);
        as("worker", worker).get("/ratings/workers/" + worker).then().statusCode(200).body("orderId", empty());
        List<ConsumerRecord<String, String>> withdrawn = KAFKA.awaitKey("gig.orders", id, 5, Duration.ofSeconds(30));
        assertEquals("gig.order.rating-withdrawn.v1", KafkaProbe.header(withdrawn.get(4), "ce_type"));
        assertTrue(withdrawn.get(4).value().contains("\"stars\":4"), withdrawn.get(4).value());
        assertEquals(1, DbProbe.count("SELECT count(*) FROM orders.audit_entry WHERE action = 'RATING_REPORTED' AND actor = 'a-rep'"));
    }

    @Test
    void anOrderBookedAheadShowsWhenItsOffersStart() {
        String resident = newId("r");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(10).withNano(0);
        String body = """
                {"serviceCode":"PET_CARE","description":"下周喂猫","location":{"lat":29.5,"lon":106.5,"address":"九龙坡"},
                 "window":{"start":"%s","end":"%s"},"priceFen":6000}""".formatted(start, start.plusHours(2));
        var ahead = as("resident", resident).body(body).post("/orders").then().statusCode(201).extract().jsonPath();
        assertEquals(start.minusHours(4).toInstant(), OffsetDateTime.parse(ahead.getString("offersFrom")).toInstant(),
                "offered from window start − 4 h");
        var soon = as("resident", resident).body(orderBody("PET_CARE", 6000)).post("/orders").then().statusCode(201)
                .extract().jsonPath();
        assertEquals(OffsetDateTime.parse(soon.getString("createdAt")).toInstant(),
                OffsetDateTime.parse(soon.getString("offersFrom")).toInstant(), "within the lead: offered at once");
    }
}
