package cn.jiujinbang.settlement.rest;

import cn.jiujinbang.devinfra.DbProbe;
import cn.jiujinbang.devinfra.PlatformTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Map;
import java.util.Random;

import static cn.jiujinbang.settlement.rest.FinanceTests.finance;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A district that has not run a payout batch for weeks: 100,000 workers are owed money. The batch
 * must answer (201) with every worker's payout instructed once; it is set-based in chunks, so its
 * memory does not grow with a Mutiny chain per row. The time and the service's peak heap are
 * printed for the record (docs/benchmarks), never asserted. The sender is off in this profile:
 * the test measures the batch, not 100,000 calls to the simulated channel.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@TestProfile(PayoutBatchScaleTests.SenderOff.class)
class PayoutBatchScaleTests {

    static final int WORKERS = 100_000;
    /** The batch takes tens of seconds on 2 cores; the client waits for it (the figure is printed). */
    private static final RestAssuredConfig PATIENT = RestAssuredConfig.config().httpClient(
            HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 300_000).setParam("http.connection.timeout", 10_000));

    public static class SenderOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gig.payments.sender.enabled", "false");
        }
    }

    @Test
    void aBatchFor100000OwedWorkersAnswersWithEachWorkerPaidOnce() throws SQLException {
        // a day of its own in the past, so that no other test's settlements fall into this batch
        LocalDate day = LocalDate.of(2019, 1, 1).plusDays(new Random().nextInt(2_000));
        String run = Long.toString(System.nanoTime(), 36);
        seed(run, day);

        MemoryPoolMXBean[] heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toArray(MemoryPoolMXBean[]::new);
        System.gc();
        long before = used(heap);
        for (MemoryPoolMXBean p : heap) {
            p.resetPeakUsage();
        }
        long started = System.nanoTime();
        Response response = finance().config(PATIENT).contentType(ContentType.JSON).body("{\"date\":\"" + day + "\"}").post("/payout-batches");
        long millis = (System.nanoTime() - started) / 1_000_000;
        long peak = java.util.Arrays.stream(heap).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        response.then().statusCode(201).body("payouts.size()", is(WORKERS));
        String batchId = response.jsonPath().getString("id");
        System.out.printf("payout batch of %,d owed workers: %,d ms; heap in use before %,d MB, peak during %,d MB%n",
                WORKERS, millis, before >> 20, peak >> 20);

        String mine = "worker_id LIKE 'w-scale-" + run + "-%'";
        assertEquals(WORKERS, DbProbe.count("SELECT count(DISTINCT worker_id) FROM settlement.payout WHERE batch_id = '" + batchId
                + "' AND " + mine));
        assertEquals(WORKERS, DbProbe.count("SELECT count(*) FROM settlement.payout WHERE " + mine), "one payout per worker");
        assertEquals(WORKERS, DbProbe.count("SELECT count(*) FROM settlement.payment_instruction i JOIN settlement.payout p "
                + "ON p.id = i.payout_id WHERE i.status = 'PENDING' AND p." + mine), "each instructed once, to be sent");
        assertEquals(0, DbProbe.count("SELECT coalesce(sum(b.balance_fen), 0) FROM settlement.account_balance b "
                + "WHERE b.account_code LIKE '2100:w-scale-" + run + "-%'"), "no worker is owed anything more");
        // asked again: the same batch, nothing new
        finance().config(PATIENT).contentType(ContentType.JSON).body("{\"date\":\"" + day + "\"}").post("/payout-batches").then()
                .statusCode(201).body("id", is(batchId)).body("payouts.size()", is(WORKERS));
        finance().get("/ledger/check").then().body("consistent", is(true));
        retire(batchId);
    }

    private static long used(MemoryPoolMXBean[] heap) {
        return java.util.Arrays.stream(heap).mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    /** 100,000 settled, collected orders, one per worker, booked on {@code day}. */
    private static void seed(String run, LocalDate day) throws SQLException {
        SeededOrders.seed("'w-scale-" + run + "-' || lpad(CAST(n AS text), 6, '0')", "CAST(gen_random_uuid() AS text)", day,
                WORKERS, false, null);
    }

    /**
     * Marks the batch as done so that the test classes after this one (whose sender is on, and whose
     * reconciliations cover today) neither send nor expect its 100,000 payouts.
     */
    private static void retire(String batchId) throws SQLException {
        try (Connection c = DbProbe.superuser(); Statement st = c.createStatement()) {
            st.execute("UPDATE settlement.payment_instruction SET status = 'SUCCEEDED', answer = 'scale test: never sent', "
                    + "answered_at = now() WHERE payout_id IN (SELECT id FROM settlement.payout WHERE batch_id = '" + batchId + "')");
            st.execute("UPDATE settlement.payout SET status = 'CONFIRMED' WHERE batch_id = '" + batchId + "'");
        }
    }
}
