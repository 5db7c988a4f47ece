package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.PlatformTestResource;
import cn.jiujinbang.devinfra.SseProbe;
import cn.jiujinbang.devinfra.SseProbe.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** GET /workers/{id}/offers/stream: offers pushed to the worker's phone as Server-Sent Events. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class OfferStreamTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final ObjectMapper json = new ObjectMapper();

    @TestHTTPResource("/workers")
    URL workers;

    private SseProbe stream(String workerId, String lastEventId) throws Exception {
        return SseProbe.open(workers + "/" + workerId + "/offers/stream", DevTokens.mint("worker", workerId), lastEventId);
    }

    private JsonNode data(Event e) {
        try {
            return json.readTree(e.data());
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void aNearbyWorkerIsPushedTheOfferThenItsAcceptance() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String worker = spot.worker("PET_CARE", 700, 3);
        try (SseProbe stream = stream(worker, null)) {
            assertEquals(200, stream.status());
            assertNull(stream.next(Duration.ofMillis(300)), "no open offers yet: nothing to send");
            String orderId = spot.postOrder("PET_CARE");
            Event offered = stream.next(WAIT);
            assertNotNull(offered, "the new offer is pushed");
            assertEquals("offer", offered.name());
            JsonNode offer = data(offered);
            assertEquals(orderId, offer.get("orderId").asText());
            assertEquals("OFFERED", offer.get("status").asText());
            assertEquals(6000, offer.get("priceFen").asLong());
            assertEquals(0.7, offer.get("distanceKm").asDouble(), 0.01);

            as("worker", worker).post("/offers/" + offer.get("offerId").asText() + "/accept").then().statusCode(200);
            List<Event> after = stream.until(e -> "ACCEPTED".equals(data(e).get("status").asText()), WAIT);
            assertTrue(Long.parseLong(after.get(after.size() - 1).id()) > Long.parseLong(offered.id()));
        }
    }

    @Test
    void theOfferThatAnotherWorkerWonIsPushedAsWithdrawn() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String loser = spot.worker("PET_CARE", 400, 3);
        String winner = spot.worker("PET_CARE", 900, 3);
        try (SseProbe stream = stream(loser, null)) {
            String orderId = spot.postOrder("PET_CARE");
            assertEquals(orderId, data(stream.next(WAIT)).get("orderId").asText());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> offerFor(winner, orderId) != null);
            as("worker", winner).post("/offers/" + offerFor(winner, orderId) + "/accept").then().statusCode(200);
            stream.until(e -> "WITHDRAWN".equals(data(e).get("status").asText()), WAIT);
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsTheOffersMadeWhileAway() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String worker = spot.worker("PET_CARE", 300, 3);
        String first = spot.postOrder("PET_CARE");
        String lastSeen;
        try (SseProbe stream = stream(worker, null)) {
            Event open = stream.until(e -> first.equals(data(e).get("orderId").asText()), WAIT).get(0);
            lastSeen = open.id();
        }
        String second = spot.postOrder("PET_CARE");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> offerFor(worker, second) != null);
        try (SseProbe resumed = stream(worker, lastSeen)) {
            resumed.until(e -> second.equals(data(e).get("orderId").asText()), WAIT);
        }
        try (SseProbe fresh = stream(worker, null)) {
            List<Event> open = List.of(fresh.next(WAIT), fresh.next(WAIT));
            assertEquals(List.of(first, second), open.stream().map(e -> data(e).get("orderId").asText()).toList(),
                    "a new stream starts with every open offer, oldest first");
        }
    }

    @Test
    void aWorkerMayStreamOnlyTheirOwnOffers() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        String worker = spot.worker("PET_CARE", 300, 3);
        try (SseProbe other = SseProbe.open(workers + "/" + worker + "/offers/stream", DevTokens.mint("worker", newId("w")), null)) {
            assertEquals(404, other.status());
            assertTrue(other.contentType().startsWith("application/problem+json"), other.contentType());
        }
        try (SseProbe resident = SseProbe.open(workers + "/" + worker + "/offers/stream", DevTokens.mint("resident", "r-1"), null)) {
            assertEquals(403, resident.status());
        }
    }
}
