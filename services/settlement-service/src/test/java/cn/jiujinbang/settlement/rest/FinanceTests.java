package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.platform.ClockProducer;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The finance clerk's routine against the real database: run payouts, import the channel's
 * statement, read the findings. Ordered: the clean day first, then a day with problems.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FinanceTests {

    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    /** Statements cover the whole day, as finance fetches them: charges booked by other test classes today match too. */
    private static final OffsetDateTime START_OF_DAY = ClockProducer.startOf(TODAY);

    @Inject
    SettlementService settlements;

    static RequestSpecification finance() {
        return given().auth().oauth2(DevTokens.mint("finance", "f-1"));
    }

    private void complete(String workerId, long priceFen) {
        SignedWorkers.sign(workerId);
        OrderCompleted e = new OrderCompleted(UUID.randomUUID().toString(), "r-1", workerId, "DAILY_CLEANING", "HOME",
                priceFen, priceFen * 8 / 100, false, OffsetDateTime.now());
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(List.of(settlements.claim(e)))));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String header() {
        return "channelTxnId,reference,type,amountFen,status,settledAt\n";
    }

    /** Waits until the payment sender has an answer for every instruction (charges and payouts). */
    static void awaitAnswered() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> DbProbe.count("SELECT count(*) FROM settlement.payment_instruction WHERE status = 'PENDING'") == 0);
    }

    private static JsonPath batch(LocalDate date) {
        awaitAnswered(); // only collected charges are paid out
        return finance().contentType(ContentType.JSON).body("{\"date\":\"" + date + "\"}").post("/payout-batches")
                .then().statusCode(201).extract().jsonPath();
    }

    private static String statement(OffsetDateTime from) {
        return finance().queryParam("from", from.toString()).queryParam("to", OffsetDateTime.now().plusSeconds(1).toString())
                .get("/channel/statement").then().statusCode(200).extract().asString();
    }

    private static JsonPath reconcile(String csv) {
        return finance().contentType("text/csv").body(csv).post("/reconciliations").then().statusCode(201).extract().jsonPath();
    }

    @Test
    @Order(1)
    void aBatchPaysEachOwingWorkerOnceAndAStatementOfTheSimulatedChannelReconcilesFully() throws SQLException {
        complete("w-fin-a", 8000);
        complete("w-fin-a", 10000);
        complete("w-fin-b", 12000);
        JsonPath first = batch(TODAY.plusDays(1));
        Map<String, Integer> paid = new java.util.HashMap<>();
        for (Map<String, Object> p : first.<Map<String, Object>>getList("payouts")) {
            paid.put((String) p.get("workerId"), (Integer) p.get("amountFen"));
            assertTrue(((String) p.get("reference")).startsWith("PO-" + TODAY.plusDays(1).toString().replace("-", "")));
            assertEquals("INSTRUCTED", p.get("status"), "committed; the sender sends it after the commit");
        }
        assertEquals(18000, paid.get("w-fin-a"), "one payout per worker, summing their net pay");
        assertEquals(12000, paid.get("w-fin-b"));
        long journal = DbProbe.count("SELECT count(*) FROM settlement.journal_line");

        JsonPath again = batch(TODAY.plusDays(1));
        assertEquals(first.getString("id"), again.getString("id"), "the same date gives the same batch");
        assertEquals(first.getList("payouts.reference"), again.getList("payouts.reference"));
        assertEquals(journal, DbProbe.count("SELECT count(*) FROM settlement.journal_line"), "nothing paid twice");
        finance().get("/payout-batches/" + first.getString("id")).then().statusCode(200)
                .body("payouts.size()", is(first.getList("payouts").size()));

        // booked later the same day: the next call for the date pays that settlement, and only it
        complete("w-fin-b", 3000);
        JsonPath later = batch(TODAY.plusDays(1));
        assertEquals(first.getString("id"), later.getString("id"));
        assertEquals(first.getList("payouts").size() + 1, later.getList("payouts").size());
        assertEquals(List.of(12000, 3000), later.getList("payouts.findAll { it.workerId == 'w-fin-b' }.amountFen"));

        awaitAnswered();
        finance().get("/payout-batches/" + first.getString("id")).then().body("payouts.status", everyItem(is("SENT")));
        JsonPath report = reconcile(statement(START_OF_DAY).replace("\n", "\r\n"));
        assertEquals(List.of(), report.getList("missingInStatement"));
        assertEquals(List.of(), report.getList("unknownInLedger"));
        assertEquals(List.of(), report.getList("amountMismatches"));
        assertEquals(List.of(), report.getList("statusMismatches"));
        assertTrue(report.getList("matched.reference").containsAll(first.getList("payouts.reference")));
        assertEquals(0, report.getInt("totals.findings"));
        finance().get("/payout-batches/" + first.getString("id")).then().body("payouts.status", everyItem(is("CONFIRMED")));
        assertEquals(0, DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '2100:w-fin-a'"),
                "the worker is owed nothing more");
        finance().get("/ledger/trial-balance").then().body("totalFen", is(0));
        finance().get("/ledger/check").then().body("consistent", is(true));
    }

    @Test
    @Order(2)
    void aStatementWithAnAlteredAmountAMissingLineAnUnknownLineAndAFailureTheChannelHadNotAnsweredHasExactlyThoseFourFindings()
            throws SQLException {
        complete("w-fin-c", 5000);
        complete("w-fin-d", 6000);
        complete("w-fin-e", 7000);
        complete("w-channel-refuses", 9000); // the simulated channel fails payouts to this worker
        JsonPath batch = batch(TODAY.plusDays(2));
        Map<String, String> refs = new java.util.HashMap<>();
        for (Map<String, Object> p : batch.<Map<String, Object>>getList("payouts")) {
            refs.put((String) p.get("workerId"), (String) p.get("reference"));
        }
        String altered = refs.get("w-fin-c");
        String dropped = refs.get("w-fin-d");
        String flipped = refs.get("w-fin-e");
        String refused = refs.get("w-channel-refuses");
        awaitAnswered();
        // the channel answered the refusal at once: the payout failed and the amount is owed again
        finance().get("/payout-batches/" + batch.getString("id")).then()
                .body("payouts.find { it.reference == '" + refused + "' }.status", is("FAILED"));
        assertEquals(9000, -DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '2100:w-channel-refuses'"),
                "a failed payout makes the amount owed again");

        List<String> lines = new ArrayList<>(List.of(statement(START_OF_DAY).split("\n")));
        lines.removeIf(l -> l.contains("," + dropped + ","));
        lines.replaceAll(l -> l.contains("," + altered + ",") ? l.replace(",PAYOUT,5000,", ",PAYOUT,5001,") : l);
        // the statement says failed what the channel had answered made
        lines.replaceAll(l -> l.contains("," + flipped + ",") ? l.replace(",SUCCESS,", ",FAILED,") : l);
        lines.add("SIM-unknown-1,PO-19990101-deadbeef,PAYOUT,4200,SUCCESS," + OffsetDateTime.now());
        String csv = String.join("\n", lines) + "\n";

        JsonPath report = reconcile(csv);
        assertEquals(List.of(altered), report.getList("amountMismatches.reference"));
        assertEquals(5001, report.getInt("amountMismatches[0].statementAmountFen"));
        assertEquals(List.of(dropped), report.getList("missingInStatement.reference"));
        assertEquals(List.of("PO-19990101-deadbeef"), report.getList("unknownInLedger.reference"));
        assertEquals(List.of(flipped), report.getList("statusMismatches.reference"));
        assertTrue(report.getList("matched.reference").contains(refused), "a failure both sides agree on matches");
        assertEquals(4, report.getInt("totals.findings"));
        assertEquals(7000, -DbProbe.count("SELECT coalesce(sum(balance_fen), 0) FROM settlement.account_balance WHERE account_code = '2100:w-fin-e'"),
                "a payout failed on the statement is owed again");
        finance().get("/payout-batches/" + batch.getString("id")).then()
                .body("payouts.find { it.reference == '" + refused + "' }.status", is("FAILED"))
                .body("payouts.find { it.reference == '" + flipped + "' }.status", is("FAILED"))
                .body("payouts.find { it.reference == '" + dropped + "' }.status", is("SENT"))
                .body("payouts.find { it.reference == '" + altered + "' }.status", is("SENT"));

        // importing the same statement again posts nothing and returns the same report
        long journal = DbProbe.count("SELECT count(*) FROM settlement.journal_line");
        JsonPath again = reconcile(csv);
        assertEquals(report.getString("id"), again.getString("id"));
        assertEquals(journal, DbProbe.count("SELECT count(*) FROM settlement.journal_line"));
        String asCsv = finance().accept("text/csv").get("/reconciliations/" + report.getString("id")).then().statusCode(200)
                .extract().asString();
        assertTrue(asCsv.contains("AMOUNT_MISMATCH," + altered + ",PAYOUT,5000,5001"), asCsv);
        assertTrue(asCsv.contains("MISSING_IN_STATEMENT," + dropped));

        // the failed payouts are paid again by the next batch, under new references
        JsonPath next = batch(TODAY.plusDays(3));
        assertEquals(List.of(9000), next.getList("payouts.findAll { it.workerId == 'w-channel-refuses' }.amountFen"));
        assertEquals(List.of(7000), next.getList("payouts.findAll { it.workerId == 'w-fin-e' }.amountFen"));
        assertNotEquals(flipped, next.getString("payouts.find { it.workerId == 'w-fin-e' }.reference"));
    }

    @Test
    @Order(3)
    void aMalformedStatementIsRejectedWithItsLineNumberAndWritesNothing() throws SQLException {
        long reconciliations = DbProbe.count("SELECT count(*) FROM settlement.reconciliation");
        long journal = DbProbe.count("SELECT count(*) FROM settlement.journal_line");
        String csv = "channelTxnId,reference,type,amountFen,status,settledAt\n"
                + "T1,PO-x,PAYOUT,100,SUCCESS,2026-11-29T10:00:00+08:00\n"
                + "T2,PO-y,PAYOUT,1.5,SUCCESS,2026-11-29T10:00:00+08:00\n";
        finance().contentType("text/csv").body(csv).post("/reconciliations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", is("line 3, column amountFen"))
                .body("detail", containsString("line 3"));
        finance().contentType("text/csv").body("hello\n").post("/reconciliations").then().statusCode(400)
                .body("errors[0].field", is("line 1"));
        // read as it arrives: bytes that are not UTF-8 are refused, not replaced by U+FFFD
        byte[] latin1 = (csv.substring(0, csv.indexOf("PO-y")) + "PO-\u00e9,PAYOUT,100,SUCCESS,2026-11-29T10:00:00+08:00\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        finance().contentType("text/csv").body(latin1).post("/reconciliations").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("body"));
        // a line without end is refused at its limit, not held
        finance().contentType("text/csv").body(csv.substring(0, csv.indexOf("T2,")) + "T3," + "x".repeat(5_000))
                .post("/reconciliations").then().statusCode(400).body("errors[0].field", is("line 3")).body("detail", containsString("longer than 1000"));
        assertEquals(reconciliations, DbProbe.count("SELECT count(*) FROM settlement.reconciliation"));
        assertEquals(journal, DbProbe.count("SELECT count(*) FROM settlement.journal_line"));
    }

    @Test
    @Order(3)
    void onlyTheStatementMayBeLargerThanAJsonDocument() throws SQLException {
        long batches = DbProbe.count("SELECT count(*) FROM settlement.payout_batch");
        String big = "{\"note\":\"" + "x".repeat(1_100_000) + "\"}";
        for (String path : new String[] {"/payout-batches?date=2026-11-29", "/doubtful-receivables/" + UUID.randomUUID() + "/resolution"}) {
            finance().contentType("application/json").body(big).post(path).then().statusCode(413)
                    .contentType("application/problem+json").body("status", is(413));
        }
        assertEquals(batches, DbProbe.count("SELECT count(*) FROM settlement.payout_batch"));
        // the statement route reads past a megabyte, to the bad line at its end
        StringBuilder statement = new StringBuilder("channelTxnId,reference,type,amountFen,status,settledAt\n");
        for (int i = 0; i < 25_000; i++) {
            statement.append("T-big-").append(i).append(",PO-big-").append(i).append(",PAYOUT,1,SUCCESS,2026-11-29T10:00:00+08:00\n");
        }
        statement.append("T-bad,PO-bad\n");
        assertTrue(statement.length() > 1_048_576);
        finance().contentType("text/csv").body(statement.toString()).post("/reconciliations").then().statusCode(400)
                .body("errors[0].field", is("line 25002"));
    }

    @Test
    @Order(4)
    void everyFinanceEndpointRefusesOtherRoles() {
        for (String role : List.of("resident", "worker", "admin")) {
            RequestSpecification as = given().auth().oauth2(DevTokens.mint(role, "x-1"));
            as.contentType(ContentType.JSON).body("{\"date\":\"2026-11-29\"}").post("/payout-batches").then().statusCode(403);
            given().auth().oauth2(DevTokens.mint(role, "x-1")).get("/payout-batches/" + UUID.randomUUID()).then().statusCode(403);
            given().auth().oauth2(DevTokens.mint(role, "x-1")).contentType("text/csv").body("x").post("/reconciliations").then().statusCode(403);
            given().auth().oauth2(DevTokens.mint(role, "x-1")).get("/reconciliations/" + UUID.randomUUID()).then().statusCode(403);
            given().auth().oauth2(DevTokens.mint(role, "x-1")).get("/channel/statement?date=2026-11-29").then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body("{\"date\":\"2026-11-29\"}").post("/payout-batches").then().statusCode(401);
        finance().contentType(ContentType.JSON).body("{\"date\":\"29/11/2026\"}").post("/payout-batches").then()
                .statusCode(400).body("errors.field", contains("date"));
    }
}
