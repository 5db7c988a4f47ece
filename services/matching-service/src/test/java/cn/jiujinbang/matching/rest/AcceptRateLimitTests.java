package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.hamcrest.Matchers.*;

/** A worker (or a script with a worker's token) grabbing offers in a loop gets 429 before anything is read. */
@QuarkusTest
@TestProfile(AcceptRateLimitTests.TwoPerMinute.class)
@QuarkusTestResource(PlatformTestResource.class)
class AcceptRateLimitTests {

    public static class TwoPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.rate-limits.actions.accept-offer.per-minute", "2");
        }
    }

    @Test
    void acceptingBeyondTheLimitIs429WithRetryAfter() {
        String worker = newId("w");
        as("worker", worker).post("/offers/" + UUID.randomUUID() + "/accept").then().statusCode(404);
        as("worker", worker).post("/offers/" + UUID.randomUUID() + "/accept").then().statusCode(404);
        as("worker", worker).post("/offers/" + UUID.randomUUID() + "/accept").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", matchesPattern("[0-9]+"))
                .body("detail", containsString("at most 2 per minute"));
        as("worker", newId("w")).post("/offers/" + UUID.randomUUID() + "/accept").then().statusCode(404);
    }
}
