package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.settlement.channel.PaymentChannel.Kind;
import cn.jiujinbang.settlement.channel.ScriptedPaymentChannel;
import cn.jiujinbang.settlement.channel.ScriptedPaymentChannel.Fault;
import cn.jiujinbang.settlement.payments.Escrow;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static cn.jiujinbang.settlement.rest.FinanceTests.awaitAnswered;
import static cn.jiujinbang.settlement.rest.FinanceTests.finance;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Escrow through the real consumer and payment sender: gig.order.posted.v1 holds price + fee at the
 * channel, completion captures it, cancellation releases it, a late cancellation captures the
 * compensation only, a refused hold is announced, and an expiring hold is renewed.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class EscrowTests {

    private static final KafkaProbe KAFKA = KafkaProbe.forTests();
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    private static final long PRICE = 10_000;
    private static final long FEE = 800;

    @Inject
    Escrow escrow;

    @Inject
    ScriptedPaymentChannel channel;

    private static String post(String residentId) {
        String orderId = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", orderId, "gig.order.posted.v1", """
                {"orderId":"%s","residentId":"%s","serviceCode":"PET_CARE","categoryCode":"PET",
                 "location":{"lat":29.5,"lon":106.5,"address":"九龙坡"},"window":null,
                 "priceFen":%d,"serviceFeeFen":%d,"postedAt":"%s"}""".formatted(orderId, residentId, PRICE, FEE, OffsetDateTime.now()));
        return orderId;
    }

    private static void complete(String orderId, String residentId, String workerId) {
        SignedWorkers.sign(workerId);
        KAFKA.publish("gig.orders", orderId, "gig.order.completed.v1", """
                {"orderId":"%s","residentId":"%s","workerId":"%s","serviceCode":"PET_CARE","categoryCode":"PET",
                 "priceFen":%d,"serviceFeeFen":%d,"autoConfirmed":false,"completedAt":"%s"}"""
                .formatted(orderId, residentId, workerId, PRICE, FEE, OffsetDateTime.now()));
    }

    private static void cancel(String orderId, String residentId, String workerId) {
        KAFKA.publish("gig.orders", orderId, "gig.order.cancelled.v1", """
                {"orderId":"%s","residentId":"%s","workerId":%s,"wasAssigned":%s,"categoryCode":"PET","priceFen":%d,
                 "serviceFeeFen":%d,"reason":"plans changed","cancelledAt":"%s"}"""
                .formatted(orderId, residentId, workerId == null ? "null" : "\"" + workerId + "\"", workerId != null, PRICE, FEE,
                        OffsetDateTime.now()));
    }

    private static JsonPath payment(String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                status.equals(finance().get("/payments/" + orderId).then().extract().path("status")));
        return finance().get("/payments/" + orderId).then().statusCode(200).extract().jsonPath();
    }

    /** The order's movements on the held-funds account (1050): what the channel holds for it now. */
    private static long heldNow(String orderId) throws SQLException {
        return DbProbe.count("""
                SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l
                JOIN settlement.journal_transaction t ON t.id = l.transaction_id
                WHERE t.order_id = '%s' AND l.account_code = '1050'""".formatted(orderId));
    }

    /** A metric's value from /q/metrics (the first series of that name). */
    private static double metric(String name) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(0.0);
    }

    private static long events(String orderId, String type) throws SQLException {
        return DbProbe.count("SELECT count(*) FROM settlement.outbox WHERE event_key = '" + orderId + "' AND event_type = '" + type + "'");
    }

    private static String instruction(String column, String reference) throws SQLException {
        return DbProbe.text("SELECT " + column + " FROM settlement.payment_instruction WHERE reference = '" + reference + "'");
    }

    @Test
    void aPostedOrderIsHeldWithPriceAndFeeAndCompletingItCapturesTheHoldAndSettles() throws SQLException {
        String resident = "r-esc-" + UUID.randomUUID().toString().substring(0, 6);
        String orderId = post(resident);
        JsonPath held = payment(orderId, "HELD");
        assertEquals(PRICE + FEE, held.getLong("heldFen"));
        assertEquals(0, held.getLong("capturedFen"));
        assertTrue(OffsetDateTime.parse(held.getString("expiresAt")).isAfter(OffsetDateTime.now().plusDays(6)));
        assertEquals(PRICE + FEE, heldNow(orderId), "the ledger shows the money held in its own account");
        try {
            VertxContextSupport.subscribeAndAwait(() -> escrow.measureHolds());
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        assertTrue(metric("gig_payments_holds_held_fen") >= PRICE + FEE, "the operator sees the money held");
        assertEquals(1, events(orderId, "gig.payment.held.v1"), "matching is told it may offer the order");
        // the resident sees their own payment; nobody else does
        given().auth().oauth2(DevTokens.mint("resident", resident)).get("/payments/" + orderId).then().statusCode(200)
                .body("status", is("HELD")).body("heldFen", is((int) (PRICE + FEE)));
        given().auth().oauth2(DevTokens.mint("resident", "r-someone-else")).get("/payments/" + orderId).then().statusCode(404)
                .contentType(containsString("problem+json"));
        given().auth().oauth2(DevTokens.mint("worker", "w-1")).get("/payments/" + orderId).then().statusCode(403);
        finance().get("/payments/" + UUID.randomUUID()).then().statusCode(404);

        complete(orderId, resident, "w-esc-1");
        JsonPath captured = payment(orderId, "CAPTURED");
        assertEquals(PRICE + FEE, captured.getLong("capturedFen"));
        assertEquals(0, captured.getLong("voidedFen"));
        assertEquals("HOLD-" + orderId + "-1", instruction("authorization_ref", orderId), "the charge captures the hold");
        awaitAnswered();
        assertEquals("SUCCEEDED", instruction("status", orderId));
        assertEquals(0, heldNow(orderId), "nothing stays held once captured");
        finance().get("/settlements/" + orderId).then().statusCode(200).body("chargedFen", is((int) (PRICE + FEE)))
                .body("chargeStatus", is("SUCCEEDED"));
        assertEquals(List.of("HOLD", "SETTLEMENT", "HOLD_CAPTURED"), DbProbe.texts("""
                SELECT kind FROM settlement.journal_transaction WHERE order_id = '%s' ORDER BY seq"""
                .formatted(orderId)));
    }

    @Test
    void aCancellationBeforeAssignmentReleasesTheWholeHoldAtTheChannel() throws SQLException {
        String orderId = post("r-esc-void");
        payment(orderId, "HELD");
        cancel(orderId, "r-esc-void", null);
        JsonPath voided = payment(orderId, "VOIDED");
        assertEquals(PRICE + FEE, voided.getLong("voidedFen"));
        assertEquals(0, voided.getLong("capturedFen"));
        awaitAnswered();
        assertEquals("SUCCEEDED", instruction("status", "VOID-HOLD-" + orderId + "-1"), "the channel released the authorisation");
        assertEquals(0, heldNow(orderId));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM settlement.payment_instruction WHERE kind = 'CHARGE' AND order_id = '"
                + orderId + "'"), "nothing is charged");
    }

    @Test
    void aReleaseTheChannelRefusesIsCountedForTheOperator() throws SQLException {
        String orderId = post("r-esc-stuck");
        payment(orderId, "HELD");
        double before = metric("gig_payments_voids_refused_total");
        channel.fail(Kind.VOID, "r-esc-stuck", 1, Fault.REFUSED);
        cancel(orderId, "r-esc-stuck", null);
        payment(orderId, "VOIDED");
        awaitAnswered();
        assertEquals("FAILED", instruction("status", "VOID-HOLD-" + orderId + "-1"));
        assertEquals(before + 1, metric("gig_payments_voids_refused_total"), "gig.payments.voids.refused");
    }

    @Test
    void aCancellationAfterAssignmentCapturesTheCompensationAndReleasesTheRest() throws SQLException {
        String orderId = post("r-esc-late");
        payment(orderId, "HELD");
        cancel(orderId, "r-esc-late", "w-esc-late");
        JsonPath partial = payment(orderId, "PARTIALLY_CAPTURED");
        long compensation = PRICE * 2000 / 10_000; // gig.settlement.compensation-share-bp
        assertEquals(compensation, partial.getLong("capturedFen"));
        assertEquals(PRICE + FEE - compensation, partial.getLong("voidedFen"));
        finance().get("/settlements/" + orderId).then().statusCode(200).body("kind", is("COMPENSATION"))
                .body("chargedFen", is((int) compensation));
        awaitAnswered();
        assertEquals("SUCCEEDED", instruction("status", orderId), "the channel captured part of the hold");
        assertEquals(0, heldNow(orderId));
    }

    @Test
    void aRefusedHoldIsAnnouncedAndNothingIsHeld() throws SQLException {
        String orderId = post("r-channel-refuses"); // the simulated channel refuses this resident
        JsonPath failed = payment(orderId, "FAILED");
        assertThat(failed.getString("reason"), containsString("refuses"));
        assertEquals(1, events(orderId, "gig.payment.failed.v1"), "order-service and matching are told");
        assertEquals(0, events(orderId, "gig.payment.held.v1"));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE order_id = '" + orderId + "'"));
        // a cancellation (order-service ends the order) changes nothing more
        cancel(orderId, "r-channel-refuses", null);
        awaitAnswered();
        assertEquals("FAILED", finance().get("/payments/" + orderId).then().extract().path("status"));
    }

    @Test
    void anExpiringHoldIsRenewedAndTheOldAuthorisationReleasedOrTheOrderIsToldItsPaymentFailed() throws Throwable {
        String renewed = post("r-esc-renew");
        String lapsed = post("r-esc-lapse");
        payment(renewed, "HELD");
        payment(lapsed, "HELD");
        DbProbe.execute("UPDATE settlement.payment_hold SET expires_at = now() + interval '1 hour' WHERE order_id IN ('"
                + renewed + "', '" + lapsed + "')");
        channel.fail(Kind.HOLD, "r-esc-lapse", 1, Fault.REFUSED);
        VertxContextSupport.subscribeAndAwait(() -> escrow.renewExpiring());
        await().atMost(Duration.ofSeconds(30)).until(() -> ("HOLD-" + renewed + "-2").equals(
                DbProbe.text("SELECT authorization_ref FROM settlement.payment_hold WHERE order_id = '" + renewed + "'")));
        JsonPath stillHeld = payment(renewed, "HELD");
        assertTrue(OffsetDateTime.parse(stillHeld.getString("expiresAt")).isAfter(OffsetDateTime.now().plusDays(6)));
        awaitAnswered();
        assertEquals("SUCCEEDED", instruction("status", "VOID-HOLD-" + renewed + "-1"), "the replaced authorisation is released");
        assertEquals(PRICE + FEE, heldNow(renewed));

        JsonPath failed = payment(lapsed, "FAILED");
        assertEquals(PRICE + FEE, failed.getLong("voidedFen"));
        assertEquals(1, events(lapsed, "gig.payment.failed.v1"), "order-service ends or cancels the order");
        assertEquals(0, heldNow(lapsed), "a lapsed hold is no longer held");
    }

    @Test
    void aCaptureTheStatementShowsFailedHoldsTheWorkersNetAndShowsTheDoubtfulReceivable() throws SQLException {
        String worker = "w-esc-" + UUID.randomUUID().toString().substring(0, 6);
        String orderId = post("r-esc-capture");
        payment(orderId, "HELD");
        complete(orderId, "r-esc-capture", worker);
        payment(orderId, "CAPTURED");
        awaitAnswered();
        long net = DbProbe.count("SELECT net_fen FROM settlement.settlement WHERE order_id = '" + orderId + "'");

        String statement = finance().queryParam("from", ClockProducer.startOf(TODAY).toString())
                .queryParam("to", OffsetDateTime.now().plusSeconds(1).toString()).get("/channel/statement").then().statusCode(200)
                .extract().asString();
        assertFalse(statement.contains("HOLD-" + orderId), "holds and voids move no money: not on the statement");
        String line = statement.lines().filter(l -> l.contains("," + orderId + ",CHARGE,")).findFirst().orElseThrow()
                .replace(",SUCCESS,", ",FAILED,");
        JsonPath report = finance().contentType("text/csv").body(FinanceTests.header() + line + "\n").post("/reconciliations")
                .then().statusCode(201).extract().jsonPath();
        assertEquals(List.of(orderId), report.getList("doubtfulCharges.reference"));
        finance().get("/reports/daily?date=" + TODAY).then().statusCode(200)
                .body("doubtfulBookedFen", greaterThanOrEqualTo((int) (PRICE + FEE)))
                .body("heldNetFen", greaterThanOrEqualTo((int) net));
        JsonPath batch = finance().contentType(ContentType.JSON).body("{\"date\":\"" + TODAY.plusDays(50) + "\"}")
                .post("/payout-batches").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of(), batch.getList("payouts.findAll { it.workerId == '" + worker + "' }"),
                "the worker's net from a capture that failed is not paid out");
    }
}
