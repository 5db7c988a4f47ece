package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Offers nobody accepts: the round expires, a wider one follows, and after the last the order is unmatched. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@TestProfile(RoundsTests.ShortRounds.class)
class RoundsTests {

    public static class ShortRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.matching.offer-ttl", "PT2S", "gig.matching.round-radii-km", "1,2,3",
                    "gig.matching.expiry-check", "0.2s");
        }
    }

    @Test
    void noAcceptWithinTheTtlWidensTheRoundAndFinallyUnmatches() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String round1 = spot.worker("PET_CARE", 500, 5);
        String round2 = spot.worker("PET_CARE", 1500, 5);
        String round3 = spot.worker("PET_CARE", 2500, 5);
        String orderId = spot.postOrder("PET_CARE");

        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round1, orderId) != null);
        assertNull(offerFor(round2, orderId), "round 1 searches 1 km only");
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round2, orderId) != null);
        assertEquals("EXPIRED", offers(round1, null).get(0).get("status"));
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(round3, orderId) != null);

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
