package cn.jiujinbang.matching.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.KafkaProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static cn.jiujinbang.matching.rest.MatchingTestSupport.*;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** Twenty workers hold an offer for the same order and accept at the same instant. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@TestProfile(FirstAcceptWinsTests.TwentyAtOnce.class)
class FirstAcceptWinsTests {

    public static class TwentyAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.matching.fanout", "20");
        }
    }

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void twentySimultaneousAcceptsGiveExactlyOneAssignment() throws Exception {
        MatchingTestSupport spot = new MatchingTestSupport();
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            workers.add(spot.worker("MEDICAL_ESCORT", 100 + i * 50, 5));
        }
        String orderId = spot.postOrder("MEDICAL_ESCORT");
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFor(workers.get(0), orderId) != null);
        List<String[]> offered = new ArrayList<>();
        for (String w : workers) {
            String offerId = offerFor(w, orderId);
            if (offerId != null) {
                offered.add(new String[]{w, offerId});
            }
        }
        assertEquals(20, offered.size(), "all twenty got the offer");

        ExecutorService pool = Executors.newFixedThreadPool(offered.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (String[] o : offered) {
            results.add(pool.submit(() -> {
                start.await();
                return as("worker", o[0]).post("/offers/" + o[1] + "/accept").then().extract().statusCode();
            }));
        }
        start.countDown();
        int ok = 0;
        int conflict = 0;
        for (Future<Integer> r : results) {
            int status = r.get();
            if (status == 200) {
                ok++;
            } else if (status == 409) {
                conflict++;
            } else {
                fail("unexpected status " + status);
            }
        }
        pool.shutdown();
        assertEquals(1, ok);
        assertEquals(19, conflict);

        List<ConsumerRecord<String, String>> assigned = KAFKA.awaitKey("gig.matching", orderId, 2, Duration.ofSeconds(5));
        assertEquals(1, assigned.size(), "exactly one gig.match.assigned.v1");
        assertEquals("gig.match.assigned.v1", KafkaProbe.header(assigned.get(0), "ce_type"));
        assertEquals("/gig/matching-service", KafkaProbe.header(assigned.get(0), "ce_source"));
        JsonNode data = json.readTree(assigned.get(0).value());
        String winner = data.get("workerId").asText();
        assertTrue(workers.contains(winner));
        assertEquals(1, DbProbe.count("SELECT count(*) FROM matching.offer WHERE order_id = '" + orderId + "' AND status = 'ACCEPTED'"));
        assertEquals(0, DbProbe.count("SELECT count(*) FROM matching.offer WHERE order_id = '" + orderId + "' AND status = 'OFFERED'"));
        assertEquals(1, DbProbe.count("SELECT active_jobs FROM matching.worker WHERE id = '" + winner + "'"));

        // a late accept, after the order was taken
        String loser = offered.stream().filter(o -> !o[0].equals(winner)).findFirst().orElseThrow()[1];
        String loserWorker = offered.stream().filter(o -> o[1].equals(loser)).findFirst().orElseThrow()[0];
        as("worker", loserWorker).post("/offers/" + loser + "/accept").then().statusCode(409)
                .contentType("application/problem+json");
    }

}
