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
import java.time.OffsetDateTime;
import java.util.List;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A resident disputes the work while it awaits confirmation, or up to 72 h after an automatic
 * confirmation; settlement is told (gig.order.disputed.v1) and its resolution comes back into the
 * order and its history. The test moves the service's clock for the 24 h and 72 h windows.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class DisputeApiTests {

    @Inject
    MovableClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    /** An order the worker reported done: it awaits the resident's confirmation. */
    private static String finished(String resident, String worker) {
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        start(worker, resident, id).statusCode(200);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200);
        return id;
    }

    @Test
    void disputingWhileAwaitingConfirmationCompletesItAsDisputedAndTellsSettlement() {
        String resident = newId("r");
        String worker = newId("w");
        String id = finished(resident, worker);
        as("resident", resident).body("{\"reason\":\"猫砂没铲，猫也没喂\"}").post("/orders/" + id + "/dispute").then()
                .statusCode(200).body("status", is("COMPLETED")).body("dispute.status", is("OPEN"))
                .body("dispute.reason", is("猫砂没铲，猫也没喂"));
        as("resident", resident).body("{\"reason\":\"again\"}").post("/orders/" + id + "/dispute").then().statusCode(409)
                .body("detail", containsString("disputed already"));

        List<ConsumerRecord<String, String>> events = KAFKA.awaitKey("gig.orders", id, 4, Duration.ofSeconds(30));
        assertEquals(List.of("gig.order.posted.v1", "gig.order.started.v1", "gig.order.completed.v1", "gig.order.disputed.v1"),
                events.stream().map(r -> KafkaProbe.header(r, "ce_type")).toList(), "the completion first, then the dispute");
        assertTrue(events.get(3).value().contains("\"workerId\":\"" + worker + "\""));
        as("resident", resident).get("/orders/" + id + "/history").then().statusCode(200)
                .body("reason", hasItem("disputed: 猫砂没铲，猫也没喂"));

        // settlement resolves it: the order shows the outcome, the history who decided
        KAFKA.publish("gig.settlement", id, "gig.dispute.resolved.v1", """
                {"orderId":"%s","outcome":"PARTIAL_REFUND","refundFen":1500,"resolvedBy":"finance:f-7","note":"只喂了一次",
                 "resolvedAt":"%s"}""".formatted(id, OffsetDateTime.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "RESOLVED".equals(get(resident, id).extract().path("dispute.status")));
        get(resident, id).body("dispute.outcome", is("PARTIAL_REFUND")).body("dispute.refundFen", is(1500));
        as("resident", resident).get("/orders/" + id + "/history").then()
                .body("find { it.reason != null && it.reason.startsWith('dispute resolved') }.actor", is("finance:f-7"));
    }

    @Test
    void aResidentWhoConfirmedOrWaitedTooLongCannotDispute() {
        String resident = newId("r");
        String worker = newId("w");
        String confirmed = finished(resident, worker);
        as("resident", resident).post("/orders/" + confirmed + "/confirm").then().statusCode(200);
        as("resident", resident).body("{\"reason\":\"不满意\"}").post("/orders/" + confirmed + "/dispute").then().statusCode(409)
                .body("detail", containsString("confirmed the work yourself"));
        String posted = post(resident);
        as("resident", resident).body("{\"reason\":\"不满意\"}").post("/orders/" + posted + "/dispute").then().statusCode(409);
        as("resident", resident).body("{}").post("/orders/" + posted + "/dispute").then().statusCode(400)
                .body("errors.field", contains("reason"));
        as("resident", newId("r")).body("{\"reason\":\"x\"}").post("/orders/" + posted + "/dispute").then().statusCode(404);
        as("worker", worker).body("{\"reason\":\"x\"}").post("/orders/" + posted + "/dispute").then().statusCode(403);
    }

    @Test
    void anAutomaticallyConfirmedOrderCanBeDisputedFor72Hours() throws InterruptedException {
        String resident = newId("r");
        String worker = newId("w");
        String inTime = finished(resident, worker);
        String late = finished(resident, newId("w"));
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(get(resident, inTime).extract().path("status"))
                && "COMPLETED".equals(get(resident, late).extract().path("status")));
        clock.advance(Duration.ofHours(71));
        as("resident", resident).body("{\"reason\":\"出差回来才发现没做\"}").post("/orders/" + inTime + "/dispute").then()
                .statusCode(200).body("status", is("COMPLETED")).body("dispute.status", is("OPEN"));
        clock.advance(Duration.ofHours(1).plusMinutes(5)); // 72 h and some minutes after the automatic confirmation
        as("resident", resident).body("{\"reason\":\"太晚了\"}").post("/orders/" + late + "/dispute").then().statusCode(409)
                .body("detail", containsString("72 hours"));
        as("resident", resident).get("/orders/" + inTime + "/history").then()
                .body("find { it.reason == 'disputed: 出差回来才发现没做' }.from", is("COMPLETED"))
                .body("find { it.reason == 'disputed: 出差回来才发现没做' }.to", is("COMPLETED"));
    }
}
