package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.KafkaProbe;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** What the order-service tests do again and again: call the API as someone, and wait for a status. */
final class OrderTestSupport {

    static final KafkaProbe KAFKA = KafkaProbe.forTests();

    private OrderTestSupport() {
    }

    static RequestSpecification as(String role, String subject) {
        return given().auth().oauth2(DevTokens.mint(role, subject)).contentType(ContentType.JSON);
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String orderBody(String serviceCode, long priceFen) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(2);
        return """
                {"serviceCode":"%s","description":"Feed and walk my cat twice","location":{"lat":29.5053,"lon":106.5126,"address":"劳动三村 3栋"},
                 "window":{"start":"%s","end":"%s"},"priceFen":%d}""".formatted(serviceCode, start, start.plusHours(3), priceFen);
    }

    static String post(String residentId) {
        return as("resident", residentId).body(orderBody("PET_CARE", 6000)).post("/orders")
                .then().statusCode(201).extract().path("id");
    }

    static ValidatableResponse get(String residentId, String orderId) {
        return as("resident", residentId).get("/orders/" + orderId).then();
    }

    static void awaitStatus(String residentId, String orderId, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(get(residentId, orderId).extract().path("status")));
    }

    /** The code the resident's app shows while the worker is on the way. */
    static String startCode(String residentId, String orderId) {
        String code = get(residentId, orderId).statusCode(200).extract().path("startCode");
        if (code == null) {
            throw new AssertionError("order " + orderId + " shows its resident no start code");
        }
        return code;
    }

    /** The worker starts at the door with the code the resident tells them. */
    static ValidatableResponse start(String workerId, String residentId, String orderId) {
        return as("worker", workerId).body("{\"code\":\"" + startCode(residentId, orderId) + "\"}")
                .post("/orders/" + orderId + "/start").then();
    }

    /** Matching's decision, as matching-service would publish it. */
    static String assign(String orderId, String workerId) {
        return KAFKA.publish("gig.matching", orderId, "gig.match.assigned.v1",
                "{\"orderId\":\"%s\",\"workerId\":\"%s\",\"offerId\":\"%s\",\"distanceKm\":0.8,\"assignedAt\":\"%s\"}"
                        .formatted(orderId, workerId, UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC)));
    }
}
