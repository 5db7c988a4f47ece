package cn.jiujinbang.order.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.jiujinbang.order.rest.OrderTestSupport.*;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

/** More requests at once than the service takes are refused at once with 503 and Retry-After. */
@QuarkusTest
@TestProfile(OverloadTests.TwoAtATime.class)
@QuarkusTestResource(PlatformTestResource.class)
class OverloadTests {

    public static class TwoAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.http.max-concurrent-requests", "2", "gig.http.retry-after-seconds", "2");
        }
    }

    @Test
    void requestsBeyondTheLimitAreRefusedQuicklyWithRetryAfterWriteNothingAndTheServiceRecovers() throws Exception {
        String resident = newId("r");
        int callers = 40;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                return as("resident", resident).body(orderBody("PET_CARE", 6000)).post("/orders");
            }));
        }
        go.countDown();
        int created = 0;
        int refused = 0;
        for (Future<Response> call : calls) {
            Response r = call.get();
            if (r.statusCode() == 201) {
                created++;
            } else {
                assertEquals(503, r.statusCode(), r.asString());
                assertEquals("2", r.header("Retry-After"));
                assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
                assertEquals(503, r.jsonPath().getInt("status"));
                refused++;
            }
        }
        pool.shutdown();
        assertTrue(refused > 0, "40 simultaneous posts against a limit of 2: some must be refused");
        assertTrue(created > 0, "the ones within the limit are served");
        assertEquals(created, DbProbe.count("SELECT count(*) FROM orders.gig_order WHERE resident_id = '" + resident + "'"),
                "a refused request wrote nothing");

        given().get("/q/health/ready").then().statusCode(200);
        post(resident); // the load is gone: served again
    }
}
