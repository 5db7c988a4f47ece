package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A resident posting in a loop is slowed down with 429 and Retry-After; nobody else is. */
@QuarkusTest
@TestProfile(RateLimitTests.ThreePerMinute.class)
@QuarkusTestResource(PlatformTestResource.class)
class RateLimitTests {

    public static class ThreePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.rate-limits.actions.post-order.per-minute", "3");
        }
    }

    @Test
    void postingBeyondTheLimitIs429WithRetryAfterAndWritesNothing() throws SQLException {
        String resident = newId("r");
        for (int i = 0; i < 3; i++) {
            as("resident", resident).body(orderBody("PET_CARE", 6000)).post("/orders").then().statusCode(201);
        }
        as("resident", resident).body(orderBody("PET_CARE", 6000)).post("/orders").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", matchesPattern("1[0-9]|20"))
                .body("status", is(429)).body("detail", containsString("at most 3 per minute"));
        assertEquals(3, DbProbe.count("SELECT count(*) FROM orders.gig_order WHERE resident_id = '" + resident + "'"));
        as("resident", newId("r")).body(orderBody("PET_CARE", 6000)).post("/orders").then().statusCode(201);
    }
}
