package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.MovableClock;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The code at the door: only the resident sees it, the worker starts with it, wrong codes are
 * counted and the fifth in a row locks starting the order for ten minutes (the test moves the
 * service's clock instead of waiting).
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class StartCodeApiTests {

    @Inject
    MovableClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void onlyTheResidentSeesTheCodeAndOnlyWhileTheWorkerIsOnTheWay() {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        get(resident, id).body("startCode", nullValue());
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        String code = startCode(resident, id);
        assertTrue(code.matches("[0-9]{4}"), code);
        as("worker", worker).get("/orders/" + id).then().statusCode(200).body("startCode", nullValue());
        as("admin", "a-1").get("/orders/" + id).then().statusCode(200).body("startCode", nullValue());
        as("worker", worker).get("/orders").then().statusCode(200).body("items.startCode", everyItem(nullValue()));
        as("resident", resident).get("/orders").then().statusCode(200).body("items.find { it.id == '" + id + "' }.startCode", is(code));

        String wrong = "{\"code\":\"" + (code.equals("0000") ? "0001" : "0000") + "\"}";
        as("worker", worker).body(wrong).post("/orders/" + id + "/start").then().statusCode(422);
        start(worker, resident, id).statusCode(200).body("status", is("IN_PROGRESS")).body("startCode", nullValue());
        get(resident, id).body("startCode", nullValue());
    }

    @Test
    void aMissingOrMalformedCodeIs400AndCountsNothing() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        for (String body : new String[]{"", "{}", "{\"code\":null}", "{\"code\":\"12a4\"}", "{\"code\":\"12345\"}", "{\"code\":\" 1234\"}"}) {
            var request = as("worker", worker);
            if (!body.isEmpty()) {
                request = request.body(body);
            }
            request.post("/orders/" + id + "/start").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("code"));
        }
        assertEquals(0, DbProbe.count("SELECT start_wrong FROM orders.gig_order WHERE id = '" + id + "'"));
        get(resident, id).body("status", is("ASSIGNED"));
    }

    @Test
    void theFifthWrongCodeLocksStartingForTenMinutes() throws Exception {
        String resident = newId("r");
        String worker = newId("w");
        String id = post(resident);
        assign(id, worker);
        awaitStatus(resident, id, "ASSIGNED");
        String code = startCode(resident, id);
        String wrong = "{\"code\":\"" + (code.equals("0000") ? "0001" : "0000") + "\"}";

        for (int left = 4; left >= 1; left--) {
            as("worker", worker).body(wrong).post("/orders/" + id + "/start").then().statusCode(422)
                    .contentType("application/problem+json").body("errors.field", contains("code"))
                    .body("detail", containsString(left + " attempts left"));
        }
        as("worker", worker).body(wrong).post("/orders/" + id + "/start").then().statusCode(422)
                .body("detail", containsString("locked"));
        // locked: even the right code is refused, with when to try again
        int retryAfter = Integer.parseInt(as("worker", worker).body("{\"code\":\"" + code + "\"}")
                .post("/orders/" + id + "/start").then().statusCode(429).contentType("application/problem+json")
                .extract().header("Retry-After"));
        assertTrue(retryAfter > 540 && retryAfter <= 601, "Retry-After " + retryAfter);
        get(resident, id).body("status", is("ASSIGNED")).body("startCode", is(code));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM orders.order_transition WHERE order_id = '" + id
                + "' AND to_status = 'IN_PROGRESS'"));

        clock.advance(Duration.ofMinutes(9));
        as("worker", worker).body("{\"code\":\"" + code + "\"}").post("/orders/" + id + "/start").then().statusCode(429);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        start(worker, resident, id).statusCode(200).body("status", is("IN_PROGRESS"));
        as("worker", worker).body(wrong).post("/orders/" + id + "/start").then().statusCode(409); // started: no more codes
    }
}
