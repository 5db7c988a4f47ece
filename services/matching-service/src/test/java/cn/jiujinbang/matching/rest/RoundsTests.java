package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.MovableClock;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Offers nobody accepts: the round expires (the offer TTL, 2 minutes), a wider one follows
 * (3, 6, then 10 km), and after the last the order is unmatched. The test moves the service's
 * clock past each round's end instead of waiting for it.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class RoundsTests {

    private static final Duration PAST_THE_ROUND = Duration.ofMinutes(2).plusSeconds(1);

    @Inject
    MovableClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void noAcceptWithinTheTtlWidensTheRoundAndFinallyUnmatches() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String round1 = spot.worker("PET_CARE", 2_000, 10);
        String round2 = spot.worker("PET_CARE", 4_500, 10);
        String round3 = spot.worker("PET_CARE", 8_000, 10);
        String orderId = spot.postOrder("PET_CARE");

        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round1, orderId) != null);
        assertNull(offerFor(round2, orderId), "round 1 searches 3 km only");
        clock.advance(PAST_THE_ROUND);
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round2, orderId) != null);
        assertEquals("EXPIRED", offers(round1, null).get(0).get("status"));
        assertNull(offerFor(round3, orderId), "round 2 searches 6 km only");
        clock.advance(PAST_THE_ROUND);
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round3, orderId) != null);
        clock.advance(PAST_THE_ROUND);

        List<ConsumerRecord<String, String>> unmatched = KAFKA.await("gig.matching",
                r -> orderId.equals(r.key()) && "gig.match.unmatched.v1".equals(cn.jiujinbang.devinfra.KafkaProbe.header(r, "ce_type")),
                1, Duration.ofSeconds(20));
        assertEquals(1, unmatched.size());
        assertTrue(unmatched.get(0).value().contains("\"rounds\":3"));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.match_request WHERE order_id = '" + orderId
                + "' AND status = 'UNMATCHED'"));
        // a late accept of an expired offer is refused
        String expired = (String) offers(round3, null).get(0).get("offerId");
        as("worker", round3).post("/offers/" + expired + "/accept").then().statusCode(409);
    }

    @Test
    void anOrderNobodyNearCanTakeIsUnmatchedAtOnce() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String orderId = spot.postOrder("NIGHT_CARE");
        assertEquals(1, KAFKA.await("gig.matching", r -> orderId.equals(r.key()), 1, Duration.ofSeconds(20)).size());
    }
}
