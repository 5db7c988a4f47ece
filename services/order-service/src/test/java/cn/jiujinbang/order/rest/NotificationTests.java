package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The order's steps tell the people concerned through the notifier port after they commit, on the
 * channels each person chose (the app unless changed; none switches a kind off).
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class NotificationTests {

    private static String sent(String person, String kind) throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> DbProbe.count("SELECT count(*) FROM orders.notification WHERE person_id = '"
                + person + "' AND kind = '" + kind + "' AND sent_at IS NOT NULL") == 1);
        return DbProbe.text("SELECT channels || '|' || text FROM orders.notification WHERE person_id = '" + person
                + "' AND kind = '" + kind + "'");
    }

    @Test
    void theResidentIsToldOfTheAssignmentWithTheStartCodeAndNotOfWhatTheySwitchedOff() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        as("resident", resident).get("/notification-preferences").then().statusCode(200)
                .body("kind", contains("ASSIGNMENT", "START", "COMPLETION", "DISPUTE"))
                .body("channels", everyItem(contains("APP_PUSH")));
        as("resident", resident).body("{\"channels\":[]}").put("/notification-preferences/START").then().statusCode(200)
                .body("channels", empty());
        as("resident", resident).body("{\"channels\":[\"SMS\",\"APP_PUSH\"]}").put("/notification-preferences/COMPLETION").then()
                .statusCode(200).body("channels", contains("APP_PUSH", "SMS"));
        as("resident", resident).body("{\"channels\":[\"PIGEON\"]}").put("/notification-preferences/START").then().statusCode(400);
        as("resident", resident).body("{\"channels\":[]}").put("/notification-preferences/OFFER").then().statusCode(404);
        as("admin", "a-1").get("/notification-preferences").then().statusCode(403);

        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        String assignment = sent(resident, "ASSIGNMENT");
        assertTrue(assignment.startsWith("APP_PUSH|") && assignment.contains(startCode(resident, id)), assignment);

        start(worker, resident, id).statusCode(200);
        as("worker", worker).post("/orders/" + id + "/done").then().statusCode(200);
        assertTrue(sent(resident, "COMPLETION").startsWith("APP_PUSH,SMS|"), "both channels chosen");
        assertEquals("|", sent(resident, "START").substring(0, 1), "switched off: handled, sent on no channel");
        assertEquals(0, DbProbe.count("SELECT count(*) FROM orders.notification WHERE person_id = '" + worker + "'"),
                "the worker is told nothing of their own steps");
    }
}
