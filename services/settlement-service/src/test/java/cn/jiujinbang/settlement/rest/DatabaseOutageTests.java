package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.devinfra.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL goes away for longer than the Kafka connector's default patience (60 s, after which
 * it would close the consumer for good) while completed orders arrive: the consumer keeps retrying,
 * and when the database is back it books every one of them exactly once and goes on consuming.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class DatabaseOutageTests {

    private static final KafkaProbe KAFKA = KafkaProbe.forTests();
    private static final Duration OUTAGE = Duration.ofSeconds(70);

    @Test
    void theConsumerRidesOutA70SecondDatabaseOutageAndBooksEveryEventOnce() throws Exception {
        assumeTrue(TestInfrastructure.canStopDatabase(), "this infrastructure cannot stop its database");
        String before = UUID.randomUUID().toString();
        String during = UUID.randomUUID().toString();
        String worker = "w-outage-" + before.substring(0, 8);
        KAFKA.publish("gig.orders", before, "gig.order.completed.v1", SettlementTests.completed(before, worker, 5000, 400, OffsetDateTime.now()));
        awaitSettlements(before, 1, Duration.ofSeconds(30));

        TestInfrastructure.stopDatabase();
        try {
            // delivered twice, as a relay that crashed before its ack would: one booking only
            String eventId = UUID.randomUUID().toString();
            String body = SettlementTests.completed(during, worker, 7000, 560, OffsetDateTime.now());
            KAFKA.publish("gig.orders", during, eventId, "gig.order.completed.v1", body);
            KAFKA.publish("gig.orders", during, eventId, "gig.order.completed.v1", body);
            Thread.sleep(OUTAGE.toMillis());
            given().get("/q/health/ready").then().statusCode(503);
            // an API call meanwhile is told to come back, not that the service is broken
            given().auth().oauth2(DevTokens.mint("finance", "f-1")).get("/ledger/accounts").then().statusCode(503)
                    .header("Retry-After", "2").contentType("application/problem+json");
            given().get("/q/metrics").then().body(containsString("gig_consumer_retrying 1.0"));
        } finally {
            TestInfrastructure.startDatabase();
        }

        awaitSettlements(during, 1, Duration.ofSeconds(30));
        String after = UUID.randomUUID().toString();
        KAFKA.publish("gig.orders", after, "gig.order.completed.v1", SettlementTests.completed(after, worker, 3000, 240, OffsetDateTime.now()));
        awaitSettlements(after, 1, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", is("UP")));
        Thread.sleep(1000); // a second delivery, had there been one, would have landed by now
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.settlement WHERE order_id = '" + during + "'"));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM settlement.journal_transaction WHERE order_id = '" + during + "'"));
        given().get("/q/metrics").then().body(containsString("gig_consumer_retrying 0.0"));
    }

    private static void awaitSettlements(String orderId, long expected, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() ->
                DbProbe.count("SELECT count(*) FROM settlement.settlement WHERE order_id = '" + orderId + "'") == expected);
    }
}
