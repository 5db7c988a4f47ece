package cn.jiujinbang.order.rest;

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

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** GET /orders/{id}/stream: the order's status changes pushed as Server-Sent Events. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class OrderStreamTests {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final ObjectMapper json = new ObjectMapper();

    @TestHTTPResource("/orders")
    URL orders;

    private SseProbe stream(String orderId, String role, String subject, String lastEventId) throws Exception {
        return SseProbe.open(orders + "/" + orderId + "/stream", DevTokens.mint(role, subject), lastEventId);
    }

    private JsonNode data(Event e) throws Exception {
        return json.readTree(e.data());
    }

    private String status(Event e) {
        try {
            return data(e).get("status").asText();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void theResidentSeesTheOrderThenEachStatusChangeAsItHappens() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String orderId = post(resident);
        try (SseProbe stream = stream(orderId, "resident", resident, null)) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            Event now = stream.next(WAIT);
            assertNotNull(now, "a new stream starts with the order as it is");
            assertEquals("order", now.name());
            assertEquals("POSTED", status(now));
            assertEquals(orderId, data(now).get("id").asText());
            assertEquals(6000, data(now).get("priceFen").asLong());

            assign(orderId, worker);
            Event assigned = last(stream.until(e -> "ASSIGNED".equals(status(e)), WAIT));
            assertEquals(worker, data(assigned).get("workerId").asText());
            assertEquals(startCode(resident, orderId), data(assigned).get("startCode").asText(), "the resident's stream shows the code");
            start(worker, resident, orderId).statusCode(200);
            Event started = last(stream.until(e -> "IN_PROGRESS".equals(status(e)), WAIT));
            assertTrue(Long.parseLong(now.id()) < Long.parseLong(assigned.id()));
            assertTrue(Long.parseLong(assigned.id()) < Long.parseLong(started.id()));
        }
    }

    @Test
    void aStreamResumedWithLastEventIdGetsEveryChangeItMissedInOrder() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String orderId = post(resident);
        String lastSeen;
        try (SseProbe stream = stream(orderId, "resident", resident, null)) {
            lastSeen = stream.next(WAIT).id();
        }
        assign(orderId, worker);
        awaitStatus(resident, orderId, "ASSIGNED");
        start(worker, resident, orderId).statusCode(200);
        as("worker", worker).post("/orders/" + orderId + "/done").then().statusCode(200);

        try (SseProbe resumed = stream(orderId, "worker", worker, lastSeen)) {
            assertEquals(200, resumed.status());
            List<Event> missed = resumed.until(e -> "AWAITING_CONFIRMATION".equals(status(e)), WAIT);
            assertEquals(List.of("ASSIGNED", "IN_PROGRESS", "AWAITING_CONFIRMATION"), missed.stream().map(this::status).toList());
            assertEquals(worker, data(missed.get(0)).get("workerId").asText());
            assertTrue(data(missed.get(0)).get("completedAt").isNull());
            assertTrue(data(missed.get(0)).get("startCode").isNull(), "the worker's stream never shows the code");
        }
    }

    @Test
    void onlyWhoMayReadTheOrderMayStreamIt() throws Exception {
        String resident = newId("r");
        String orderId = post(resident);
        try (SseProbe stranger = stream(orderId, "resident", newId("r"), null)) {
            assertEquals(404, stranger.status());
            assertTrue(stranger.contentType().startsWith("application/problem+json"), stranger.contentType());
        }
        try (SseProbe notAWorkerOfIt = stream(orderId, "worker", newId("w"), null)) {
            assertEquals(404, notAWorkerOfIt.status());
        }
        try (SseProbe badResume = stream(orderId, "resident", resident, "yesterday")) {
            assertEquals(400, badResume.status());
            assertTrue(badResume.body().contains("Last-Event-ID"), badResume.body());
        }
        try (SseProbe finance = stream(orderId, "finance", "f-1", null)) {
            assertEquals(403, finance.status());
        }
    }

    @Test
    void aClosedStreamLeavesNothingBehindOnTheServer() throws Exception {
        String resident = newId("r");
        String orderId = post(resident);
        // the other tests' streams are closed by their clients; the server notices within moments
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(0, gauge("gig_push_streams"));
            assertEquals(0, gauge("gig_push_keys"));
        });
        try (SseProbe stream = stream(orderId, "resident", resident, null)) {
            assertNotNull(stream.next(WAIT));
            assertEquals(1, gauge("gig_push_streams"));
            assertEquals(1, gauge("gig_push_keys"));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(0, gauge("gig_push_streams"));
            assertEquals(0, gauge("gig_push_keys"), "the order's entry is gone with its last stream");
        });
    }

    private static double gauge(String name) {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static Event last(List<Event> events) {
        return events.get(events.size() - 1);
    }
}
