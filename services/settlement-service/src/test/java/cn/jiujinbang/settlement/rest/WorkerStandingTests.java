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
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A worker who has not signed the labor-service agreement is not paid: the payout batch lists their
 * earnings as held with the reason, and pays them once matching-service announces the signature.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class WorkerStandingTests {

    private static final KafkaProbe KAFKA = KafkaProbe.forTests();
    private static final LocalDate BATCH_DAY = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(9);

    @Inject
    SettlementService settlements;

    private void complete(String workerId, long priceFen) {
        OrderCompleted e = new OrderCompleted(UUID.randomUUID().toString(), "r-1", workerId, "DAILY_CLEANING", "HOME",
                priceFen, priceFen * 8 / 100, false, OffsetDateTime.now());
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> settlements.settle(List.of(settlements.claim(e)))));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static JsonPath batch() {
        FinanceTests.awaitAnswered(); // only collected charges are paid out
        return given().auth().oauth2(DevTokens.mint("finance", "f-1")).contentType(ContentType.JSON)
                .body("{\"date\":\"" + BATCH_DAY + "\"}").post("/payout-batches").then().statusCode(201).extract().jsonPath();
    }

    private static List<Map<String, Object>> of(JsonPath batch, String list, String worker) {
        return batch.<Map<String, Object>>getList(list).stream().filter(p -> worker.equals(p.get("workerId"))).toList();
    }

    @Test
    void anUnsignedWorkersEarningsAreHeldWithTheReasonUntilTheSignatureArrives() throws Exception {
        String worker = "w-unsigned-" + UUID.randomUUID().toString().substring(0, 8);
        complete(worker, 8000);
        complete(worker, 5000);

        JsonPath first = batch();
        assertEquals(List.of(), of(first, "payouts", worker), "no payout before the agreement is signed");
        assertEquals(List.of(Map.of("workerId", worker, "reason", "AGREEMENT_NOT_SIGNED", "amountFen", 13000, "settlements", 2)),
                of(first, "held", worker));

        // matching's decisions on the same topic are skipped, not dead-lettered; the verification alone pays nothing
        KAFKA.publish("gig.matching", worker, "gig.worker.verified.v1",
                "{\"workerId\":\"%s\",\"verifiedAt\":\"%s\"}".formatted(worker, OffsetDateTime.now()));
        var signed = KAFKA.publish("gig.matching", worker, UUID.randomUUID().toString(), "gig.worker.agreement-signed.v1",
                "{\"workerId\":\"%s\",\"agreementVersion\":\"2026-11\",\"signedAt\":\"%s\"}".formatted(worker, OffsetDateTime.now()));
        assertTrue(KAFKA.awaitConsumed("settlement-service", signed, Duration.ofSeconds(30)));
        assertEquals("2026-11", DbProbe.text("SELECT agreement_version FROM settlement.worker_standing WHERE worker_id = '" + worker
                + "' AND verified_at IS NOT NULL"));

        JsonPath again = batch();
        assertEquals(first.getString("id"), again.getString("id"), "the same date's batch pays what became payable since");
        List<Map<String, Object>> paid = of(again, "payouts", worker);
        assertEquals(1, paid.size());
        assertEquals(13000, paid.get(0).get("amountFen"));
        assertEquals(2, paid.get(0).get("settlements"));
        assertEquals(List.of(), of(again, "held", worker));
        // once the channel took the payout, the worker is told through the notifier
        await().atMost(Duration.ofSeconds(30)).until(() -> DbProbe.count("SELECT count(*) FROM settlement.notification WHERE person_id = '"
                + worker + "' AND kind = 'PAYOUT' AND sent_at IS NOT NULL AND text LIKE '%130.00%'") == 1);
    }

    @Test
    void aRedeliveredOrOlderSignatureChangesNothing() throws Exception {
        String worker = "w-resigned-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now();
        String event = UUID.randomUUID().toString();
        String body = "{\"workerId\":\"%s\",\"agreementVersion\":\"2027-01\",\"signedAt\":\"%s\"}".formatted(worker, now);
        KAFKA.publish("gig.matching", worker, event, "gig.worker.agreement-signed.v1", body);
        KAFKA.publish("gig.matching", worker, event, "gig.worker.agreement-signed.v1", body);
        var older = KAFKA.publish("gig.matching", worker, UUID.randomUUID().toString(), "gig.worker.agreement-signed.v1",
                "{\"workerId\":\"%s\",\"agreementVersion\":\"2026-11\",\"signedAt\":\"%s\"}".formatted(worker, now.minusDays(30)));
        assertTrue(KAFKA.awaitConsumed("settlement-service", older, Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "2027-01".equals(DbProbe.text(
                "SELECT agreement_version FROM settlement.worker_standing WHERE worker_id = '" + worker + "'")));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.inbox WHERE event_id = '" + event + "'"));
    }
}
