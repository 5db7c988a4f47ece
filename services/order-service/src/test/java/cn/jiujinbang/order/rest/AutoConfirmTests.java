package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.KafkaProbe;
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

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finished order the resident never confirms is confirmed by the scheduled job, once, when the
 * confirmation window (24 h) has passed: the test moves the service's clock instead of waiting.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class AutoConfirmTests {

    @Inject
    MovableClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void autoConfirmCompletesAnOrderAfterTheDelayExactlyOnce() throws InterruptedException {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        start(worker, resident, id).statusCode(200);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200);
        get(resident, id).body("status", is("AWAITING_CONFIRMATION"));
        clock.advance(Duration.ofHours(23));
        Thread.sleep(1500); // the job (every second in tests) ran: 23 h is not enough
        get(resident, id).body("status", is("AWAITING_CONFIRMATION"));
        clock.advance(Duration.ofHours(1).plusMinutes(1));
        awaitStatus(resident, id, "COMPLETED");

        // several more runs of the job go by; none completes the order a second time
        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", id, 4, Duration.ofSeconds(4));
        List<ConsumerRecord<String, String>> completed = events.stream()
                .filter(r -> "gig.order.completed.v1".equals(KafkaProbe.header(r, "ce_type"))).toList();
        assertEquals(1, completed.size());
        assertTrue(completed.get(0).value().contains("\"autoConfirmed\":true"));
        as("resident", resident).get("/orders/" + id + "/history").then()
                .body("to", contains("POSTED", "ASSIGNED", "IN_PROGRESS", "AWAITING_CONFIRMATION", "COMPLETED"))
                .body("actor[4]", is("system:auto-confirm"));
        as("resident", resident).post("/orders/" + id + "/confirm").then().statusCode(409);
    }
}
