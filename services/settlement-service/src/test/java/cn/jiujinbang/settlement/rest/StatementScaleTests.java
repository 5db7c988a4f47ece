package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;

import static cn.jiujinbang.settlement.rest.FinanceTests.finance;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A city's day of charges: a 200,000-line channel statement reconciled in one import. Every line
 * matches a collected order; the receipts are recorded per order and posted as one deposit; the
 * report lists the first matched lines and counts them all. Time and the service's heap are printed
 * for the record (docs/benchmarks/payouts.md), never asserted.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class StatementScaleTests {

    static final int LINES = 200_000;
    private static final RestAssuredConfig PATIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 600_000).setParam("http.connection.timeout", 10_000));

    @Test
    void aStatementOf200000ChargesReconcilesWithEachReceivedOnceAndOneDeposit() throws SQLException {
        // a day of its own in the past; the orders owe the workers nothing (tax took it all), so no
        // payout batch of another test pays them
        LocalDate day = LocalDate.of(2012, 1, 1).plusDays(new Random().nextInt(2_000));
        String run = Long.toString(System.nanoTime(), 36);
        StringBuilder csv = new StringBuilder(FinanceTests.header());
        StringBuilder lines = csv;
        SeededOrders.seed("'w-stmt-" + run + "-' || (n % 1000)", "'o-stmt-" + run + "-' || n", day, LINES, true, st -> {
            try (ResultSet rs = st.executeQuery("SELECT order_id, at FROM seed ORDER BY n")) {
                while (rs.next()) {
                    lines.append("CH-").append(rs.getString(1)).append(',').append(rs.getString(1)).append(",CHARGE,10000,SUCCESS,")
                            .append(rs.getObject(2, java.time.OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.ofHours(8)))
                            .append('\n');
                }
            }
        });
        long receiptsBefore = DbProbe.count("SELECT count(*) FROM settlement.channel_receipt");
        long bankBefore = DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '1000'");

        MemoryPoolMXBean[] heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toArray(MemoryPoolMXBean[]::new);
        System.gc();
        long before = java.util.Arrays.stream(heap).mapToLong(p -> p.getUsage().getUsed()).sum();
        for (MemoryPoolMXBean p : heap) {
            p.resetPeakUsage();
        }
        String body = csv.toString();
        csv = null;
        long started = System.nanoTime();
        Response response = finance().config(PATIENT).contentType("text/csv").body(body).post("/reconciliations");
        long millis = (System.nanoTime() - started) / 1_000_000;
        long peak = java.util.Arrays.stream(heap).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("reconciliation of a %,d-line statement (%,d bytes): %,d ms; heap in use before %,d MB, peak during %,d MB%n",
                LINES, body.length(), millis, before >> 20, peak >> 20);
        response.then().statusCode(201);
        assertEquals(LINES, response.jsonPath().getInt("totals.matched"));
        assertEquals(0, response.jsonPath().getInt("totals.findings"));
        assertEquals(1_000, response.jsonPath().getList("matched").size(), "the first 1,000 matched lines are listed");

        assertEquals(LINES, DbProbe.count("SELECT count(*) FROM settlement.channel_receipt") - receiptsBefore, "each charge received once");
        assertEquals(LINES * 10_000L, DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance "
                + "WHERE account_code = '1000'") - bankBefore, "one deposit of the statement's total");
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE kind = 'CHARGE_RECEIVED' "
                + "AND description LIKE '" + LINES + " charges collected, statement %'"));
        finance().get("/ledger/check").then().statusCode(200);
    }
}
