package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.devinfra.ServiceContract;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.settlement.domain.CumulativeWithholding;
import cn.jiujinbang.settlement.domain.IncomeToDate;
import cn.jiujinbang.settlement.domain.Money;
import cn.jiujinbang.settlement.service.SettlementService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class SettlementTests extends ServiceContract {

    private static final KafkaProbe KAFKA = KafkaProbe.forTests();

    @Inject
    SettlementService settlements;

    SettlementTests() {
        super("settlement", "settlement_svc", List.of("flyway_schema_history", "outbox", "inbox", "notification", "notification_preference", "account", "audit_entry",
                "journal_transaction", "journal_line", "settlement", "worker_tax_lock", "worker_standing", "dispute"), "gig.orders",
                "gig.dlq.settlement-service", "/ledger/accounts");
    }

    @Override
    protected SampleEvent harmlessEvent(String orderId) {
        return cancelledBeforeAssignment(orderId);
    }

    @Override
    protected SampleEvent poisonousContents(String orderId) {
        return new SampleEvent("gig.order.completed.v1", completed(orderId, "w-poison", -5000, 400, OffsetDateTime.now()),
                "priceFen must be above zero: -5000");
    }

    /** Settles on a Vert.x context of its own, as the event consumer would, and waits for the commit. */
    private void settle(OrderCompleted event) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(List.of(settlements.claim(event)))));
        } catch (Throwable e) {
            throw new IllegalStateException("settling " + event.orderId() + " failed", e);
        }
    }

    static RequestSpecification as(String role, String subject) {
        return given().auth().oauth2(DevTokens.mint(role, subject)).contentType(ContentType.JSON);
    }

    static String completed(String orderId, String workerId, long priceFen, long feeFen, OffsetDateTime at) {
        return """
                {"orderId":"%s","residentId":"r-1","workerId":"%s","serviceCode":"PET_CARE","categoryCode":"PET",
                 "priceFen":%d,"serviceFeeFen":%d,"autoConfirmed":false,"completedAt":"%s"}"""
                .formatted(orderId, workerId, priceFen, feeFen, at);
    }

    static String cancelled(String orderId, String workerId, boolean wasAssigned, long priceFen) {
        return """
                {"orderId":"%s","residentId":"r-1","workerId":%s,"wasAssigned":%s,"categoryCode":"PET",
                 "priceFen":%d,"serviceFeeFen":480,"reason":"plans changed","cancelledAt":"%s"}"""
                .formatted(orderId, workerId == null ? "null" : "\"" + workerId + "\"", wasAssigned, priceFen, OffsetDateTime.now());
    }

    @Test
    void aCompletedOrderSettlesOnceAndPublishesOneSettledEvent() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String worker = "w-" + orderId.substring(0, 8);
        String body = completed(orderId, worker, 6800, 544, OffsetDateTime.now());
        String eventId = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.completed.v1", body);
        KAFKA.publish("gig.orders", orderId, eventId, "gig.order.completed.v1", body);                          // redelivered
        RecordMetadata last = KAFKA.publish("gig.orders", orderId, UUID.randomUUID().toString(), "gig.order.completed.v1", body); // re-announced
        assertTrue(KAFKA.awaitConsumed("settlement-service", last, Duration.ofSeconds(30)));

        as("finance", "f-1").get("/settlements/" + orderId).then().statusCode(200)
                .body("grossFen", is(6800)).body("serviceFeeFen", is(544)).body("taxFen", is(0))
                .body("netFen", is(6800)).body("chargedFen", is(7344)).body("status", is("SETTLED"));
        as("worker", worker).get("/settlements/" + orderId).then().statusCode(200).body("workerId", is(worker));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE order_id = '" + orderId + "'"));

        List<ConsumerRecord<String, String>> settled = KAFKA.awaitKey("gig.settlement", orderId, 2, Duration.ofSeconds(5));
        assertEquals(1, settled.size(), "one gig.settlement.settled.v1");
        assertEquals("gig.settlement.settled.v1", KafkaProbe.header(settled.get(0), "ce_type"));
        assertTrue(settled.get(0).value().contains("\"chargedFen\":7344"));

        as("finance", "f-1").get("/ledger/transactions?orderId=" + orderId).then().statusCode(200)
                .body("[0].lines.amountFen.sum()", is(0))
                .body("[0].lines.accountCode", contains("1100", "2100:" + worker, "4000"));
        as("finance", "f-1").get("/ledger/trial-balance").then().statusCode(200).body("totalFen", is(0)).body("balanced", is(true));
        as("finance", "f-1").get("/ledger/check").then().statusCode(200).body("consistent", is(true));
    }

    @Test
    void twentyCompletionsOfOneWorkerAtOnceWithholdExactlyWhatSequentialProcessingWould() throws Exception {
        String worker = "w-busy-" + UUID.randomUUID().toString().substring(0, 6);
        OffsetDateTime completedAt = OffsetDateTime.of(2026, 6, 15, 10, 0, 0, 0, ZoneOffset.ofHours(8));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            OrderCompleted event = new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY",
                    500_000, 40_000, false, completedAt); // 5,000 yuan each
            runs.add(pool.submit(() -> {
                start.await();
                settle(event);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();

        // replay the same payments one after another, in the order they were booked
        List<long[]> booked = new ArrayList<>(); // gross, tax
        try (Connection c = DbProbe.superuser(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT gross_fen, tax_fen FROM settlement.settlement WHERE worker_id = '" + worker + "' ORDER BY seq")) {
            while (rs.next()) {
                booked.add(new long[]{rs.getLong(1), rs.getLong(2)});
            }
        }
        assertEquals(20, booked.size());
        CumulativeWithholding rule = new CumulativeWithholding();
        Money income = Money.ZERO;
        Money withheld = Money.ZERO;
        for (long[] b : booked) {
            Money tax = rule.withhold(Money.fen(b[0]), new IncomeToDate(income, withheld, 1, income, withheld));
            assertEquals(tax.fen(), b[1], "each settlement saw every earlier one");
            income = income.plus(Money.fen(b[0]));
            withheld = withheld.plus(tax);
        }
        // 100,000 yuan in one month: (80,000 − 5,000) × 10 % − 2,520 = 4,980 yuan
        assertEquals(Money.yuan(4_980), withheld);
    }

    @Test
    void concurrentBatchesTaxEachWorkerAsASequentialReplayOfTheirPayments() throws Exception {
        // 8 batches of 30 at once, each batch mixing 6 workers over four months: a worker's payments
        // are spread over every batch, so batches wait for each other's workers and book in between
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> workers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            workers.add("w-batch-" + run + "-" + w);
        }
        java.util.Random random = new java.util.Random(7);
        List<List<SettlementService.Claim>> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            List<SettlementService.Claim> claims = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                OffsetDateTime earned = OffsetDateTime.of(2026, 2 + random.nextInt(4), 10, 12, 0, 0, 0, ZoneOffset.ofHours(8));
                long price = 20_000 + random.nextInt(600_000);
                claims.add(settlements.claim(new OrderCompleted(UUID.randomUUID().toString(), "r-1",
                        workers.get(random.nextInt(workers.size())), "HOUSE_MOVING", "FAMILY", price, price / 10, false, earned)));
            }
            batches.add(claims);
        }
        ExecutorService pool = Executors.newFixedThreadPool(batches.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (List<SettlementService.Claim> claims : batches) {
            runs.add(pool.submit(() -> {
                start.await();
                try {
                    VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(claims)));
                } catch (Throwable e) {
                    throw new IllegalStateException("a batch failed", e);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> r : runs) {
            r.get();
        }
        pool.shutdown();

        int booked = 0;
        CumulativeWithholding rule = new CumulativeWithholding();
        for (String worker : workers) {
            // replay the worker's payments one after another in the order they were booked, from scratch
            List<long[]> earlier = new ArrayList<>(); // month, gross, tax
            try (Connection c = DbProbe.superuser(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT tax_month, gross_fen, tax_fen FROM settlement.settlement WHERE worker_id = '" + worker + "' ORDER BY seq")) {
                while (rs.next()) {
                    int month = rs.getInt(1);
                    long gross = rs.getLong(2);
                    // the run of consecutive months with income that ends with this payment's month
                    java.util.Set<Long> monthsWithIncome = new java.util.HashSet<>();
                    earlier.forEach(e -> monthsWithIncome.add(e[0]));
                    int first = month;
                    while (monthsWithIncome.contains((long) first - 1)) {
                        first--;
                    }
                    int runStart = first;
                    long runIncome = earlier.stream().filter(e -> e[0] >= runStart && e[0] <= month).mapToLong(e -> e[1]).sum();
                    long runTax = earlier.stream().filter(e -> e[0] >= runStart && e[0] <= month).mapToLong(e -> e[2]).sum();
                    long monthIncome = earlier.stream().filter(e -> e[0] == month).mapToLong(e -> e[1]).sum();
                    long monthTax = earlier.stream().filter(e -> e[0] == month).mapToLong(e -> e[2]).sum();
                    Money due = rule.withhold(Money.fen(gross), new IncomeToDate(Money.fen(runIncome), Money.fen(runTax),
                            month - runStart + 1, Money.fen(monthIncome), Money.fen(monthTax)));
                    long expected = Math.min(due.fen(), gross);
                    assertEquals(expected, rs.getLong(3), worker + " payment " + (earlier.size() + 1));
                    earlier.add(new long[]{month, gross, rs.getLong(3)});
                    booked++;
                }
            }
        }
        assertEquals(240, booked);
        as("finance", "f-1").get("/ledger/check").then().statusCode(200).body("consistent", is(true));
    }

    @Test
    void theTaxYearFollowsShanghaiTime() throws Exception {
        String worker = "w-newyear-" + UUID.randomUUID().toString().substring(0, 6);
        // 23:30 on 31 Dec in Shanghai is still 2026; 00:30 on 1 Jan is 2027 (16:30 UTC on 31 Dec)
        OrderCompleted oldYear = new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY",
                2_000_000, 0, false, OffsetDateTime.of(2026, 12, 31, 15, 30, 0, 0, ZoneOffset.UTC));
        OrderCompleted newYear = new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY",
                2_000_000, 0, false, OffsetDateTime.of(2026, 12, 31, 16, 30, 0, 0, ZoneOffset.UTC));
        settle(oldYear);
        settle(newYear);
        as("finance", "f-1").get("/settlements/" + oldYear.orderId()).then().body("taxFen", is(33_000));
        as("finance", "f-1").get("/settlements/" + newYear.orderId()).then().body("taxFen", is(33_000)); // a fresh year
        as("worker", worker).get("/workers/" + worker + "/statement?month=2027-01").then().statusCode(200)
                .body("orders.size()", is(1)).body("yearToDate.grossFen", is(2_000_000));
    }

    @Test
    void aCancellationAfterAssignmentSettlesTheCompensationAndOneBeforeItNothing() throws Exception {
        String afterAssignment = UUID.randomUUID().toString();
        String beforeAssignment = UUID.randomUUID().toString();
        String worker = "w-comp-" + afterAssignment.substring(0, 6);
        KAFKA.publish("gig.orders", beforeAssignment, "gig.order.cancelled.v1", cancelled(beforeAssignment, null, false, 6000));
        KAFKA.publish("gig.orders", afterAssignment, "gig.order.cancelled.v1", cancelled(afterAssignment, worker, true, 6000));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as("finance", "f-1").get("/settlements/" + afterAssignment).then().extract().statusCode() == 200);
        as("finance", "f-1").get("/settlements/" + afterAssignment).then()
                .body("kind", is("COMPENSATION")).body("grossFen", is(1200)).body("serviceFeeFen", is(0))
                .body("chargedFen", is(1200)).body("netFen", is(1200));
        RecordMetadata marker = KAFKA.publish("gig.orders", beforeAssignment, UUID.randomUUID().toString(), "gig.order.started.v1",
                "{\"orderId\":\"" + beforeAssignment + "\",\"workerId\":\"w\",\"startedAt\":\"" + OffsetDateTime.now() + "\"}");
        assertTrue(KAFKA.awaitConsumed("settlement-service", marker, Duration.ofSeconds(30)));
        as("finance", "f-1").get("/settlements/" + beforeAssignment).then().statusCode(404);
        assertEquals(0, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE order_id = '" + beforeAssignment + "'"));
    }

    @Test
    void theServicesRoleCannotUpdateOrDeleteAJournalLine() throws Exception {
        String orderId = UUID.randomUUID().toString();
        OrderCompleted e = new OrderCompleted(orderId, "r-1", "w-immutable", "PET_CARE", "PET", 5000, 400, false, OffsetDateTime.now());
        settle(e);
        try (Connection own = DbProbe.as("settlement_svc", "settlement_svc_dev")) {
            for (String sql : List.of("UPDATE journal_line SET amount_fen = amount_fen + 1",
                    "DELETE FROM journal_line", "UPDATE journal_transaction SET description = 'x'",
                    "DELETE FROM journal_transaction", "TRUNCATE journal_line", "DELETE FROM account")) {
                SQLException refused = assertThrows(SQLException.class, () -> own.createStatement().execute(sql), sql);
                assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
            }
            // an unbalanced transaction is refused by the database, and so is a line added to a balanced one later
            own.setAutoCommit(false);
            UUID tx = UUID.randomUUID();
            own.createStatement().execute("INSERT INTO journal_transaction (id, kind, description, created_at) VALUES ('"
                    + tx + "', 'TEST', 'unbalanced', now())");
            SQLException unbalanced = assertThrows(SQLException.class, () -> own.createStatement().execute(
                    "INSERT INTO journal_line (transaction_id, account_code, amount_fen) VALUES ('" + tx + "', '1000', 100)"));
            assertTrue(unbalanced.getMessage().contains("does not balance"), unbalanced.getMessage());
            own.rollback();
            own.createStatement().execute("INSERT INTO journal_transaction (id, kind, description, created_at) VALUES ('"
                    + tx + "', 'TEST', 'balanced, then one more line', now())");
            own.createStatement().execute("INSERT INTO journal_line (transaction_id, account_code, amount_fen) VALUES ('"
                    + tx + "', '1000', 100), ('" + tx + "', '4000', -100)");
            unbalanced = assertThrows(SQLException.class, () -> own.createStatement().execute(
                    "INSERT INTO journal_line (transaction_id, account_code, amount_fen) VALUES ('" + tx + "', '1000', 1)"));
            assertTrue(unbalanced.getMessage().contains("does not balance"), unbalanced.getMessage());
        }
    }

    @Test
    void theWorkerStatementSumsMatchTheJournal() throws Exception {
        String worker = "w-stmt-" + UUID.randomUUID().toString().substring(0, 6);
        OffsetDateTime march = OffsetDateTime.of(2026, 3, 10, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        for (long price : new long[]{6800, 12000, 350_000}) {
            OrderCompleted e = new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "DEEP_CLEANING", "HOME", price,
                    price * 8 / 100, false, march);
            settle(e);
        }
        long payable = -DbProbe.count("SELECT sum(amount_fen) FROM settlement.journal_line WHERE account_code = '2100:" + worker + "'");
        long taxPosted = -DbProbe.count("""
                SELECT sum(l.amount_fen) FROM settlement.journal_line l JOIN settlement.settlement s
                ON s.journal_transaction_id = l.transaction_id WHERE l.account_code = '2200' AND s.worker_id = '""" + worker + "'");
        as("worker", worker).get("/workers/" + worker + "/statement?month=2026-03").then().statusCode(200)
                .body("orders.size()", is(3))
                .body("monthTotals.grossFen", is(368_800))
                .body("monthTotals.netFen", is((int) payable))
                .body("monthTotals.taxFen", is((int) taxPosted))
                .body("yearToDate.netFen", is((int) payable));
    }

    /** One payable account per worker: the list is paged, never the whole city at once. */
    @Test
    void theAccountsAreReadAPageAtATime() {
        settle(new OrderCompleted(UUID.randomUUID().toString(), "r-1", "w-page-" + UUID.randomUUID(), "PET_CARE", "PET",
                5000, 400, false, OffsetDateTime.now()));
        List<String> all = as("finance", "f-1").queryParam("size", "1000").get("/ledger/accounts").then().statusCode(200)
                .extract().jsonPath().getList("code");
        assertTrue(all.size() > 3, all.toString());
        List<String> first = as("finance", "f-1").queryParam("size", "2").get("/ledger/accounts").then().statusCode(200)
                .extract().jsonPath().getList("code");
        List<String> second = as("finance", "f-1").queryParam("page", "1").queryParam("size", "2").get("/ledger/accounts")
                .then().statusCode(200).extract().jsonPath().getList("code");
        assertEquals(all.subList(0, 4), java.util.stream.Stream.concat(first.stream(), second.stream()).toList());
        as("finance", "f-1").queryParam("size", "1001").get("/ledger/accounts").then().statusCode(400)
                .body("errors.field", contains("size"));
        as("finance", "f-1").queryParam("page", "2147483647").queryParam("size", "1000").get("/ledger/accounts").then()
                .statusCode(400).body("errors.field", contains("page"));
    }

    @Test
    void financeReadsRefuseResidentsAndOtherWorkers() {
        String orderId = UUID.randomUUID().toString();
        OrderCompleted e = new OrderCompleted(orderId, "r-1", "w-owner", "PET_CARE", "PET", 5000, 400, false, OffsetDateTime.now());
        settle(e);
        for (String path : List.of("/ledger/accounts", "/ledger/transactions", "/ledger/trial-balance", "/ledger/check",
                "/reports/daily?date=2026-11-29", "/reports/monthly?month=2026-11")) {
            as("resident", "r-1").get(path).then().statusCode(403).contentType("application/problem+json");
            as("worker", "w-owner").get(path).then().statusCode(403);
        }
        as("resident", "r-1").get("/settlements/" + orderId).then().statusCode(403);
        as("worker", "w-other").get("/settlements/" + orderId).then().statusCode(404);
        as("worker", "w-other").get("/workers/w-owner/statement?month=2026-11").then().statusCode(404);
        as("worker", "w-owner").get("/workers/w-owner/statement?month=11-2026").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("month"));
    }

    @Test
    void dailyAndMonthlyReportsSumTheirSettlementsAndSatisfyTheIdentity() throws SQLException {
        var daily = as("finance", "f-1").get("/reports/daily?date=" + java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")))
                .then().statusCode(200).body("identityHolds", is(true)).extract().jsonPath();
        long total = DbProbe.count("""
                SELECT coalesce(sum(charged_fen), 0) FROM settlement.settlement
                WHERE (settled_at AT TIME ZONE 'Asia/Shanghai')::date = (now() AT TIME ZONE 'Asia/Shanghai')::date""");
        assertEquals(total, daily.getLong("chargedFen"));
        assertEquals(daily.getLong("chargedFen"), daily.getLong("netFen") + daily.getLong("taxFen") + daily.getLong("serviceFeeFen"));
        long byCategory = daily.getList("byCategory.chargedFen", Number.class).stream().mapToLong(Number::longValue).sum();
        long compensations = DbProbe.count("""
                SELECT coalesce(sum(charged_fen), 0) FROM settlement.settlement WHERE kind = 'COMPENSATION'
                AND (settled_at AT TIME ZONE 'Asia/Shanghai')::date = (now() AT TIME ZONE 'Asia/Shanghai')::date""");
        assertEquals(total - compensations, byCategory, "the categories share the day's orders' charges");
        as("finance", "f-1").accept("text/csv").get("/reports/monthly?month=2026-11").then().statusCode(200)
                .contentType(containsString("text/csv")).body(startsWith("period,orders,"));
        as("finance", "f-1").get("/reports/daily?date=yesterday").then().statusCode(400).body("errors.field", contains("date"));
    }

    @Test
    void aPaymentCompletedOnTheLastSecondOfJanuaryIsTaxedAndReportedInJanuary() {
        // completed 23:59:58 on 31 January (Shanghai) and settled later: its tax month is January,
        // and January's monthly report, like the withholding return, counts it
        String worker = "w-jan31-" + UUID.randomUUID().toString().substring(0, 6);
        OrderCompleted late = new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY",
                2_000_000, 160_000, false, OffsetDateTime.of(2031, 1, 31, 23, 59, 58, 0, ZoneOffset.ofHours(8)));
        settle(late);
        as("finance", "f-1").get("/settlements/" + late.orderId()).then().body("taxFen", is(33_000));
        as("finance", "f-1").get("/reports/monthly?month=2031-01").then().statusCode(200)
                .body("orders", is(1)).body("grossFen", is(2_000_000)).body("taxFen", is(33_000))
                .body("identityHolds", is(true));
        as("finance", "f-1").get("/reports/monthly?month=2031-02").then().body("orders", is(0)).body("byCategory", empty());
        // and by category, for the finance page's chart
        as("finance", "f-1").get("/reports/monthly?month=2031-01").then()
                .body("byCategory.categoryCode", contains("FAMILY")).body("byCategory[0].orders", is(1))
                .body("byCategory[0].chargedFen", is(2_160_000)).body("byCategory[0].netFen", is(2_000_000 - 33_000));
        as("worker", worker).get("/workers/" + worker + "/statement?month=2031-01").then().statusCode(200)
                .body("orders.size()", is(1)).body("monthTotals.taxFen", is(33_000));
    }

    @Test
    void theWithholdingReturnAndTheYearlyTaxStatementAreTheJournals() {
        String worker = "w-return-" + UUID.randomUUID().toString().substring(0, 6);
        // Jan 2,000; no Feb; Mar 20,000 (2032, a year no other test uses)
        settle(new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY", 200_000, 16_000, false,
                OffsetDateTime.of(2032, 1, 15, 12, 0, 0, 0, ZoneOffset.ofHours(8))));
        settle(new OrderCompleted(UUID.randomUUID().toString(), "r-1", worker, "HOUSE_MOVING", "FAMILY", 2_000_000, 160_000, false,
                OffsetDateTime.of(2032, 3, 15, 12, 0, 0, 0, ZoneOffset.ofHours(8))));
        String line = "find { it.workerId == '" + worker + "' }";
        as("finance", "f-1").get("/tax/withholding?month=2032-03").then().statusCode(200)
                .body(line + ".consecutiveMonths", is(1)).body(line + ".incomeFen", is(2_000_000))
                .body(line + ".expensesFen", is(400_000)).body(line + ".deductionFen", is(500_000))
                .body(line + ".taxableFen", is(1_100_000)).body(line + ".taxFen", is(33_000))
                .body(line + ".taxRule", is("cumulative-2025-16"));
        as("finance", "f-1").get("/tax/withholding?month=2032-02").then().statusCode(200)
                .body("findAll { it.workerId == '" + worker + "' }.size()", is(0));
        String csv = as("finance", "f-1").accept("text/csv").get("/tax/withholding?month=2032-03").then().statusCode(200)
                .extract().asString();
        assertTrue(csv.startsWith("workerId,month,taxRule,consecutiveMonths,"), csv);
        assertTrue(csv.contains(worker + ",2032-03,cumulative-2025-16,1,2000000,33000,2000000,400000,500000,1100000,33000"), csv);

        as("worker", worker).get("/workers/" + worker + "/tax-statement?year=2032").then().statusCode(200)
                .body("months.month", contains("2032-01", "2032-03")).body("grossFen", is(2_200_000))
                .body("taxFen", is(33_000)).body("netFen", is(2_167_000));
        as("worker", "w-someone-else").get("/workers/" + worker + "/tax-statement?year=2032").then().statusCode(404);
        as("worker", worker).get("/workers/" + worker + "/tax-statement?year=32").then().statusCode(400)
                .body("errors.field", contains("year"));
        as("worker", worker).get("/tax/withholding?month=2032-03").then().statusCode(403);
    }

    @Test
    void theDailyReportIsTheJournalsMovementsOfTheDayAccountByAccount() throws SQLException {
        settle(new OrderCompleted(UUID.randomUUID().toString(), "r-1", "w-daily", "PET_CARE", "PET", 5000, 400, false,
                OffsetDateTime.now()));
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        var report = as("finance", "f-1").get("/reports/daily?date=" + today).then().statusCode(200).extract().jsonPath();
        String ofToday = "(t.created_at AT TIME ZONE 'Asia/Shanghai')::date = DATE '" + today + "'";
        List<Map<String, Object>> movements = report.getList("movements");
        assertFalse(movements.isEmpty());
        for (Map<String, Object> m : movements) {
            String account = (String) m.get("account");
            String match = account.equals("2100") ? "l.account_code LIKE '2100:%'" : "l.account_code = '" + account + "'";
            assertEquals(DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l "
                    + "JOIN settlement.journal_transaction t ON t.id = l.transaction_id WHERE " + ofToday + " AND " + match),
                    ((Number) m.get("movementFen")).longValue(), account);
        }
        assertEquals(0, movements.stream().mapToLong(m -> ((Number) m.get("movementFen")).longValue()).sum(),
                "a day's movements balance");
        String incomeOfToday = " FROM settlement.journal_line l JOIN settlement.journal_transaction t ON t.id = l.transaction_id "
                + "WHERE t.kind IN ('SETTLEMENT', 'COMPENSATION') AND " + ofToday;
        assertEquals(DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0)" + incomeOfToday + " AND l.account_code = '1100'"),
                report.getLong("chargedFen"));
        assertEquals(-DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0)" + incomeOfToday + " AND l.account_code = '2200'"),
                report.getLong("taxFen"));
        assertEquals(-DbProbe.count("SELECT coalesce(sum(l.amount_fen), 0)" + incomeOfToday + " AND l.account_code = '4000'"),
                report.getLong("serviceFeeFen"));
        // and the journal agrees with the settlements booked that day
        assertEquals(DbProbe.count("SELECT coalesce(sum(charged_fen), 0) FROM settlement.settlement "
                + "WHERE (settled_at AT TIME ZONE 'Asia/Shanghai')::date = DATE '" + today + "'"), report.getLong("chargedFen"));
        assertTrue(report.getBoolean("identityHolds"));
    }
}
