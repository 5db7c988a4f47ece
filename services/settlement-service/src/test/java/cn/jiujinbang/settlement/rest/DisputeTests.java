package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.settlement.service.SettlementService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A disputed order's pay is held from payout batches until finance or an admin resolves the
 * dispute; a refund is posted to the fen (what the worker, the tax and the fee give back is owed to
 * the resident), audited, and announced to order-service.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class DisputeTests {

    private static final KafkaProbe KAFKA = KafkaProbe.forTests();
    private static final LocalDate BATCH_DAY = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(11);

    @Inject
    SettlementService settlements;

    private static RequestSpecification as(String role, String id) {
        return given().auth().oauth2(DevTokens.mint(role, id)).contentType(ContentType.JSON);
    }

    /** A collected, settled order of a signed worker, then the resident's dispute of it; returns the order id. */
    private String settledAndDisputed(String worker, long priceFen) throws Throwable {
        SignedWorkers.sign(worker);
        OrderCompleted e = new OrderCompleted(UUID.randomUUID().toString(), "r-dispute", worker, "DAILY_CLEANING", "HOME",
                priceFen, priceFen * 8 / 100, false, OffsetDateTime.now());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(List.of(settlements.claim(e)))));
        FinanceTests.awaitAnswered();
        KAFKA.publish("gig.orders", e.orderId(), "gig.order.disputed.v1", """
                {"orderId":"%s","residentId":"r-dispute","workerId":"%s","reason":"没有打扫干净","disputedAt":"%s"}"""
                .formatted(e.orderId(), worker, OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> DbProbe.count("SELECT count(*) FROM settlement.dispute WHERE order_id = '"
                + e.orderId() + "' AND status = 'OPEN'") == 1);
        return e.orderId();
    }

    private static JsonPath batch() {
        FinanceTests.awaitAnswered();
        return as("finance", "f-1").body("{\"date\":\"" + BATCH_DAY + "\"}").post("/payout-batches").then().statusCode(201)
                .extract().jsonPath();
    }

    private static List<Map<String, Object>> of(JsonPath batch, String list, String worker) {
        return batch.<Map<String, Object>>getList(list).stream().filter(p -> worker.equals(p.get("workerId"))).toList();
    }

    private static long balance(String account) throws SQLException {
        return DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '" + account + "'");
    }

    @Test
    void aDisputedOrdersPayIsHeldUntilAPartialRefundReleasesTheRestToTheFen() throws Throwable {
        String worker = "w-disputed-" + UUID.randomUUID().toString().substring(0, 8);
        String orderId = settledAndDisputed(worker, 10_000);
        long net = DbProbe.count("SELECT net_fen FROM settlement.settlement WHERE order_id = '" + orderId + "'");

        JsonPath held = batch();
        assertEquals(List.of(), of(held, "payouts", worker), "not paid while disputed");
        assertEquals(List.of(Map.of("workerId", worker, "reason", "DISPUTED", "amountFen", (int) net, "settlements", 1)),
                of(held, "held", worker));
        as("finance", "f-1").get("/disputes").then().statusCode(200).body("orderId", hasItem(orderId));

        // bad resolutions write nothing
        as("finance", "f-1").body("{\"outcome\":\"PARTIAL_REFUND\",\"refundFen\":" + (net + 1) + ",\"note\":\"太多\"}")
                .post("/disputes/" + orderId + "/resolution").then().statusCode(400).body("errors.field", contains("refundFen"));
        as("finance", "f-1").body("{\"outcome\":\"HALF\",\"note\":\"x\"}").post("/disputes/" + orderId + "/resolution").then().statusCode(400);
        as("finance", "f-1").body("{\"outcome\":\"PAY_IN_FULL\"}").post("/disputes/" + orderId + "/resolution").then().statusCode(400)
                .body("errors.field", contains("note"));
        as("resident", "r-dispute").body("{\"outcome\":\"FULL_REFUND\",\"note\":\"x\"}").post("/disputes/" + orderId + "/resolution")
                .then().statusCode(403);
        as("finance", "f-1").body("{\"outcome\":\"PAY_IN_FULL\",\"note\":\"x\"}").post("/disputes/" + UUID.randomUUID() + "/resolution")
                .then().statusCode(404);
        assertEquals(0, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE kind = 'DISPUTE_REFUND' AND order_id = '"
                + orderId + "'"));

        long refundsOwed = balance("2400");
        long payable = balance("2100:" + worker);
        as("admin", "a-9").body("{\"outcome\":\"PARTIAL_REFUND\",\"refundFen\":1234,\"note\":\"只打扫了一半\"}")
                .post("/disputes/" + orderId + "/resolution").then().statusCode(200)
                .body("status", is("RESOLVED")).body("outcome", is("PARTIAL_REFUND")).body("refundFen", is(1234))
                .body("resolvedBy", is("admin:a-9"));
        as("finance", "f-1").body("{\"outcome\":\"PAY_IN_FULL\",\"note\":\"again\"}").post("/disputes/" + orderId + "/resolution")
                .then().statusCode(409);

        assertEquals(refundsOwed - 1234, balance("2400"), "1234 fen owed to the resident (a credit)");
        assertEquals(payable + 1234, balance("2100:" + worker), "taken from the worker's pay");
        as("finance", "f-1").get("/ledger/trial-balance").then().body("totalFen", is(0)).body("balanced", is(true));
        as("finance", "f-1").get("/ledger/check").then().body("consistent", is(true));

        JsonPath released = batch();
        assertEquals(List.of(), of(released, "held", worker));
        assertEquals((int) (net - 1234), of(released, "payouts", worker).get(0).get("amountFen"), "the rest is paid");

        List<ConsumerRecord<String, String>> resolved = KAFKA.await("gig.settlement", r -> orderId.equals(r.key())
                && "gig.dispute.resolved.v1".equals(KafkaProbe.header(r, "ce_type")), 1, Duration.ofSeconds(30));
        assertTrue(resolved.get(0).value().contains("\"refundFen\":1234") && resolved.get(0).value().contains("\"resolvedBy\":\"admin:a-9\""));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.audit_entry WHERE action = 'DISPUTE_RESOLVED' AND subject = '"
                + orderId + "' AND actor = 'a-9'"));
    }

    @Test
    void aFullRefundGivesBackEverythingChargedAndPaysTheWorkerNothing() throws Throwable {
        String worker = "w-refunded-" + UUID.randomUUID().toString().substring(0, 8);
        String orderId = settledAndDisputed(worker, 20_000);
        long charged = DbProbe.count("SELECT charged_fen FROM settlement.settlement WHERE order_id = '" + orderId + "'");
        long payable = balance("2100:" + worker);
        long refundsOwed = balance("2400");
        as("finance", "f-1").body("{\"outcome\":\"FULL_REFUND\",\"note\":\"没有上门\"}").post("/disputes/" + orderId + "/resolution")
                .then().statusCode(200).body("refundFen", is((int) charged));
        assertEquals(refundsOwed - charged, balance("2400"));
        assertEquals(0, payable + DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l "
                + "JOIN settlement.journal_transaction t ON t.id = l.transaction_id WHERE t.kind = 'DISPUTE_REFUND' AND t.order_id = '"
                + orderId + "' AND l.account_code = '2100:" + worker + "'"), "the worker's whole net given back");
        assertEquals(0, balance("2100:" + worker));
        JsonPath after = batch();
        assertEquals(List.of(), of(after, "payouts", worker));
        assertEquals(List.of(), of(after, "held", worker));
        as("finance", "f-1").get("/ledger/trial-balance").then().body("totalFen", is(0));
    }
}
