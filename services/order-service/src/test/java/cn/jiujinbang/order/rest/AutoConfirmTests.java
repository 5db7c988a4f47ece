package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.KafkaProbe;
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

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A finished order the resident never confirms is confirmed by the scheduled job, once. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@TestProfile(AutoConfirmTests.ShortDelay.class)
class AutoConfirmTests {

    public static class ShortDelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.orders.auto-confirm-after", "PT2S", "gig.orders.auto-confirm-check", "0.3s");
        }
    }

    @Test
    void autoConfirmCompletesAnOrderAfterTheDelayExactlyOnce() {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        as("worker", worker).post("/orders/" + id + "/start").then().statusCode(200);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200);
        get(resident, id).body("status", is("AWAITING_CONFIRMATION"));
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
