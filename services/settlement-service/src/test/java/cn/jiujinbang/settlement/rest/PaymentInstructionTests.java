package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.platform.ClockProducer;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.settlement.channel.PaymentChannel.Kind;
import cn.jiujinbang.settlement.channel.ScriptedPaymentChannel;
import cn.jiujinbang.settlement.channel.ScriptedPaymentChannel.Fault;
import cn.jiujinbang.settlement.service.SettlementService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static cn.jiujinbang.settlement.rest.FinanceTests.awaitAnswered;
import static cn.jiujinbang.settlement.rest.FinanceTests.finance;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The payment-channel contract against a provider that fails the way real ones do: unreachable,
 * answers lost after it paid, charges refused. Money moves once per reference whatever happens.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class PaymentInstructionTests {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));

    @Inject
    SettlementService settlements;

    @Inject
    ScriptedPaymentChannel channel;

    private String complete(String workerId, String residentId, long priceFen) {
        SignedWorkers.sign(workerId);
        OrderCompleted e = new OrderCompleted(UUID.randomUUID().toString(), residentId, workerId, "DAILY_CLEANING", "HOME",
                priceFen, priceFen * 8 / 100, false, OffsetDateTime.now());
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(List.of(settlements.claim(e)))));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return e.orderId();
    }

    private static Response postBatch(LocalDate date) {
        return finance().contentType(ContentType.JSON).body("{\"date\":\"" + date + "\"}").post("/payout-batches");
    }

    /** Payments the provider made to a worker, by reference (its book is the simulator's table). */
    private static Map<String, Long> madeTo(String worker) throws SQLException {
        Map<String, Long> made = new java.util.HashMap<>();
        try (Connection c = DbProbe.superuser(); ResultSet rs = c.createStatement().executeQuery("""
                SELECT t.reference, count(*) FROM settlement.channel_simulator_txn t
                JOIN settlement.payout p ON p.reference = t.reference
                WHERE t.type = 'PAYOUT' AND t.status = 'SUCCESS' AND p.worker_id = '%s' GROUP BY t.reference""".formatted(worker))) {
            while (rs.next()) {
                made.put(rs.getString(1), rs.getLong(2));
            }
        }
        return made;
    }

    @Test
    void aProviderUnreachableOnTheSecondOfFivePayoutsAndAnAnswerLostAfterPayingStillPayEveryWorkerExactlyOnce()
            throws SQLException {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            workers.add("w-pay-" + run + "-" + i);
            complete(workers.get(i), "r-1", 10_000 + i);
        }
        awaitAnswered();
        channel.fail(Kind.PAYOUT, "w-pay-" + run, 2, Fault.UNREACHABLE);
        channel.fail(Kind.PAYOUT, "w-pay-" + run, 4, Fault.ANSWER_LOST);
        LocalDate date = TODAY.plusDays(40);
        JsonPath batch = postBatch(date).then().statusCode(201).extract().jsonPath();
        List<String> references = batch.getList("payouts.findAll { it.workerId.startsWith('w-pay-" + run + "') }.reference");
        assertEquals(5, references.size());
        // finance runs the batch again while the sender retries: nothing new
        JsonPath again = postBatch(date).then().statusCode(201).extract().jsonPath();
        assertEquals(batch.getString("id"), again.getString("id"));
        assertEquals(references, again.getList("payouts.findAll { it.workerId.startsWith('w-pay-" + run + "') }.reference"));
        awaitAnswered();

        for (String worker : workers) {
            Map<String, Long> made = madeTo(worker);
            assertEquals(1, made.size(), worker + " is paid under one reference: " + made);
            assertEquals(1L, made.values().iterator().next(), worker + " is paid once");
            assertEquals(0, DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '2100:"
                    + worker + "'"), worker + " is owed nothing more");
        }
        for (String reference : references) {
            assertEquals(1, channel.sendsReceived(reference),
                    "the provider received " + reference + " once: a lost answer is asked about, not sent again");
        }
        finance().get("/payout-batches/" + batch.getString("id")).then()
                .body("payouts.findAll { it.workerId.startsWith('w-pay-" + run + "') }.status", everyItem(is("SENT")));
        String in = "reference IN ('" + String.join("','", references) + "')";
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.payment_instruction WHERE attempts = 2 AND " + in),
                "the unreachable call is tried again, under the same reference");
        assertEquals(4, DbProbe.count("SELECT count(*) FROM settlement.payment_instruction WHERE attempts = 1 AND " + in),
                "the lost answer is resolved by asking, within its first attempt");
    }

    @Test
    void aChargeTheChannelFailsHoldsTheWorkersNetFromPayoutsUntilFinanceWritesItOff() throws SQLException {
        String worker = "w-held-" + UUID.randomUUID().toString().substring(0, 6);
        String refused = complete(worker, "r-channel-refuses", 20_000);
        complete(worker, "r-1", 5_000);
        awaitAnswered();
        long held = DbProbe.count("SELECT net_fen FROM settlement.settlement WHERE order_id = '" + refused + "'");
        long charged = DbProbe.count("SELECT charged_fen FROM settlement.settlement WHERE order_id = '" + refused + "'");

        finance().get("/doubtful-receivables").then().statusCode(200)
                .body("find { it.orderId == '" + refused + "' }.amountFen", is((int) charged))
                .body("find { it.orderId == '" + refused + "' }.heldNetFen", is((int) held))
                .body("find { it.orderId == '" + refused + "' }.status", is("OPEN"));
        finance().get("/reports/daily?date=" + TODAY).then().statusCode(200)
                .body("doubtfulBookedFen", greaterThanOrEqualTo((int) charged))
                .body("heldNetFen", greaterThanOrEqualTo((int) held));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE kind = 'CHARGE_FAILED' AND order_id = '"
                + refused + "'"));

        // the next batch pays the collected order only
        LocalDate date = TODAY.plusDays(41);
        JsonPath batch = postBatch(date).then().statusCode(201).extract().jsonPath();
        assertEquals(List.of(5_000 - 0), batch.getList("payouts.findAll { it.workerId == '" + worker + "' }.amountFen"));

        // the statement's FAILED charge line is shown as doubtful by the reconciliation
        String statement = finance().queryParam("from", ClockProducer.startOf(TODAY).toString())
                .queryParam("to", OffsetDateTime.now().plusSeconds(1).toString()).get("/channel/statement").then().statusCode(200)
                .extract().asString();
        String line = statement.lines().filter(l -> l.contains("," + refused + ",CHARGE,")).findFirst().orElseThrow();
        assertTrue(line.contains(",FAILED,"), line);
        JsonPath report = finance().contentType("text/csv").body(FinanceTests.header() + line + "\n").post("/reconciliations")
                .then().statusCode(201).extract().jsonPath();
        assertEquals(List.of(refused), report.getList("doubtfulCharges.reference"));
        assertEquals(List.of(refused), report.getList("matched.reference"), "the channel answered failed, the statement agrees");

        finance().contentType(ContentType.JSON).body("{\"outcome\":\"LOST\",\"note\":\"x\"}")
                .post("/doubtful-receivables/" + refused + "/resolution").then().statusCode(400).body("errors.field", contains("outcome"));
        finance().contentType(ContentType.JSON).body("{\"outcome\":\"WRITTEN_OFF\"}")
                .post("/doubtful-receivables/" + refused + "/resolution").then().statusCode(400).body("errors.field", contains("note"));
        finance().contentType(ContentType.JSON).body("{\"outcome\":\"WRITTEN_OFF\",\"note\":\"card closed; resident unreachable\"}")
                .post("/doubtful-receivables/" + refused + "/resolution").then().statusCode(200)
                .body("status", is("WRITTEN_OFF")).body("resolvedBy", is("f-1"));
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        finance().queryParam("from", today).queryParam("to", today).queryParam("size", "500").get("/audit").then().statusCode(200)
                .body("findAll { it.subject == '" + refused + "' }.action", contains("RECEIVABLE_WRITTEN_OFF"))
                .body("findAll { it.subject == '" + refused + "' }.actor", contains("f-1"))
                .body("findAll { it.subject == '" + refused + "' }.details.note", contains("card closed; resident unreachable"));
        finance().contentType(ContentType.JSON).body("{\"outcome\":\"RECOLLECTED\",\"note\":\"again\"}")
                .post("/doubtful-receivables/" + refused + "/resolution").then().statusCode(409);
        finance().contentType(ContentType.JSON).body("{\"outcome\":\"RECOLLECTED\",\"note\":\"none\"}")
                .post("/doubtful-receivables/" + UUID.randomUUID() + "/resolution").then().statusCode(404);
        assertEquals(charged, DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l "
                + "JOIN settlement.journal_transaction t ON t.id = l.transaction_id WHERE t.order_id = '" + refused
                + "' AND l.account_code = '6100'"), "the platform bears the loss");

        // written off: the worker's net is paid by the next batch
        JsonPath next = postBatch(date.plusDays(1)).then().statusCode(201).extract().jsonPath();
        assertEquals(List.of((int) held), next.getList("payouts.findAll { it.workerId == '" + worker + "' }.amountFen"));
        finance().get("/ledger/check").then().body("consistent", is(true));
    }

    @Test
    void simultaneousBatchesForOneDateMakeOneBatchAndABatchThatCannotStartAnswers503() throws Exception {
        String worker = "w-race-" + UUID.randomUUID().toString().substring(0, 6);
        complete(worker, "r-1", 8_000);
        awaitAnswered();
        LocalDate date = TODAY.plusDays(50);
        List<CompletableFuture<JsonPath>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> postBatch(date).then().statusCode(201).extract().jsonPath()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<JsonPath> call : calls) {
            JsonPath batch = call.get();
            ids.add(batch.getString("id"));
            assertEquals(List.of(8_000), batch.getList("payouts.findAll { it.workerId == '" + worker + "' }.amountFen"));
        }
        assertEquals(1, ids.stream().distinct().count(), "one batch for the date");
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.payout WHERE worker_id = '" + worker + "'"));

        // another batch holds the lock: the call says so quickly instead of waiting for ever
        try (Connection c = DbProbe.superuser(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('gig.payout-batch'))");
            long started = System.nanoTime();
            postBatch(date.plusDays(1)).then().statusCode(503).header("Retry-After", notNullValue())
                    .contentType("application/problem+json");
            assertTrue(System.nanoTime() - started < 30_000_000_000L);
            st.execute("SELECT pg_advisory_unlock(hashtext('gig.payout-batch'))");
        }
        postBatch(date.plusDays(1)).then().statusCode(201);
    }
}
