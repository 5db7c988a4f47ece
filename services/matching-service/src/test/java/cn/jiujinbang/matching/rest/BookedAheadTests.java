package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.MovableClock;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Orders booked ahead are offered at window start − 4 h (gig.booking.offer-lead), not at once; and
 * no offer goes to a worker who is already assigned an order whose window overlaps. The test moves
 * the service's clock instead of waiting hours.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class BookedAheadTests {

    /** Enough for the round job (every 0.5 s in tests) to have run a few times. */
    private static final long A_FEW_TICKS_MS = 1_500;

    @Inject
    MovableClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void aScheduledOrderGetsItsFirstOfferAtWindowStartMinusTheLead() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String worker = spot.worker("PET_CARE", 500, 5);
        OffsetDateTime windowStart = OffsetDateTime.now(ZoneOffset.UTC).plusHours(10);
        String orderId = spot.postOrder("PET_CARE", windowStart, windowStart.plusHours(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> DbProbe.count("SELECT count(*) FROM matching.match_request WHERE order_id = '"
                + orderId + "' AND status = 'OPEN'") == 1);
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.match_request WHERE order_id = '" + orderId
                + "' AND abs(extract(epoch FROM offer_from - '" + windowStart.minusHours(4) + "')) < 0.001 AND round = 0"),
                "waits, first round at start − 4 h");
        Thread.sleep(A_FEW_TICKS_MS);
        assertNull(offerFor(worker, orderId), "not offered at once");

        clock.advance(Duration.ofHours(6).minusMinutes(1)); // a minute before window start − 4 h
        Thread.sleep(A_FEW_TICKS_MS);
        assertNull(offerFor(worker, orderId), "not a minute early");

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(worker, orderId) != null);
        as("worker", worker).post("/offers/" + offerFor(worker, orderId) + "/accept").then().statusCode(200);
    }

    @Test
    void anOrderWithinTheLeadIsOfferedAtOnce() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String worker = spot.worker("PET_CARE", 500, 5);
        OffsetDateTime windowStart = OffsetDateTime.now(ZoneOffset.UTC).plusHours(3).plusMinutes(50);
        String orderId = spot.postOrder("PET_CARE", windowStart, windowStart.plusHours(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(worker, orderId) != null);
    }

    @Test
    void aWorkerAssignedAnOverlappingOrderIsNotOfferedAnotherAndCannotAcceptOne() {
        MatchingTestSupport spot = new MatchingTestSupport();
        String busy = spot.worker("PET_CARE", 300, 5);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String first = spot.postOrder("PET_CARE", now.plusHours(1), now.plusHours(3));
        String sameTime = spot.postOrder("PET_CARE", now.plusHours(1), now.plusHours(3));
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(busy, first) != null && offerFor(busy, sameTime) != null);
        String heldOffer = offerFor(busy, sameTime);
        as("worker", busy).post("/offers/" + offerFor(busy, first) + "/accept").then().statusCode(200);
        // an offer made before the assignment can no longer be accepted
        as("worker", busy).post("/offers/" + heldOffer + "/accept").then().statusCode(409)
                .body("detail", containsString("already have an order assigned at that time"));

        String other = spot.worker("PET_CARE", 600, 5);
        String overlapping = spot.postOrder("PET_CARE", now.plusHours(2), now.plusHours(3).plusMinutes(30));
        String afterwards = spot.postOrder("PET_CARE", now.plusHours(3), now.plusHours(3).plusMinutes(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> offerFor(other, overlapping) != null && offerFor(busy, afterwards) != null);
        assertNull(offerFor(busy, overlapping), "busy from 1 h to 3 h: not offered 2 h to 3:30");
    }
}
