package cn.jiujinbang.bench;

import cn.jiujinbang.demo.PlatformClient;
import cn.jiujinbang.demo.PlatformClient.Reply;
import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.SseProbe;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole order life under load, through the public API of a running platform ({@code make run}),
 * as the phones would drive it: workers listen on their offer stream and accept what is pushed, then
 * start and finish the job; residents post, follow their order's stream and confirm when the worker
 * is done. RESIDENTS residents post one order after another for SECONDS seconds (after WARMUP
 * seconds not counted). Reports lifecycles per second, post → settled latency, the hop of each topic
 * (from the database's own timestamps), errors, CPU seconds per lifecycle per process, and, in the
 * same run, the machine's ceilings: pgbench (TPC-B-like) on the same PostgreSQL and Kafka's
 * producer performance tool on the same broker. The report goes to argument 1.
 */
public final class PlatformBenchmark {

    /** Around Yangjiaping, Jiulongpo; each run takes a spot of its own so earlier runs' workers stay out of it. */
    private static final double LAT0 = 29.5053, LON0 = 106.5126;
    private static final List<String> SERVICES = List.of("PET_CARE", "DOG_WALKING", "GROCERY_SHOPPING", "PARCEL_PICKUP",
            "DAILY_CLEANING", "ELDERLY_COMPANIONSHIP", "MEDICAL_ESCORT", "PLUMBING_REPAIR");
    private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(60);

    private final PlatformClient api;
    /** HTTP/1.1: a connection per stream, as each phone has its own (no multiplexing of everybody on one). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final double centerLat = LAT0 + (new Random(run.hashCode()).nextDouble() - 0.5) * 0.4;
    private final double centerLon = LON0 + (new Random(~run.hashCode()).nextDouble() - 0.5) * 0.4;
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final AtomicLong lostRaces = new AtomicLong();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final AtomicLong longestWaitMs = new AtomicLong();
    private final AtomicLong longestRefusalMs = new AtomicLong();
    private final List<Double> postToSettledMs = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> postToOfferMs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
    private final List<Double> idlePostToSettledMs = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> idlePostToOfferMs = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean idlePhase;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<InputStream> openStreams = Collections.synchronizedList(new ArrayList<>());
    private volatile long measureFrom;
    private volatile long measureTo;
    private final AtomicLong completedInWindow = new AtomicLong();

    private PlatformBenchmark(PlatformClient api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        int residents = Integer.parseInt(Machine.env("RESIDENTS", "32"));
        int seconds = Integer.parseInt(Machine.env("SECONDS", "60"));
        int warmup = Integer.parseInt(Machine.env("WARMUP", "10"));
        int workers = Integer.parseInt(Machine.env("WORKERS", String.valueOf(Math.max(40, residents * 2))));
        Path report = Path.of(args.length > 0 ? args[0] : "target/bench/platform-report.md");
        PlatformClient api = Machine.runningPlatform();
        new PlatformBenchmark(api).run(residents, workers, warmup, seconds, report);
        System.exit(0);
    }

    private void run(int residents, int workers, int warmup, int seconds, Path report) throws Exception {
        System.out.printf("bench %s: %d workers on their offer streams, %d residents, %d s warm-up + %d s measured%n",
                run, workers, residents, warmup, seconds);
        Random random = new Random(42);
        List<String> workerIds = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String id = "bw-" + run + "-" + i;
            double lat = centerLat + (random.nextDouble() - 0.5) * 0.03;
            double lon = centerLon + (random.nextDouble() - 0.5) * 0.03;
            Reply r = api.post(api.matching + "/workers", "worker", id, """
                    {"name":"压测师傅%d","serviceCodes":["%s"],"home":{"lat":%.6f,"lon":%.6f},"radiusKm":5}"""
                    .formatted(i, String.join("\",\"", SERVICES), lat, lon));
            if (r.status() != 201) {
                throw new IllegalStateException("registering a worker: " + r.status() + " " + r.text());
            }
            api.verifyAndSign(id);
            workerIds.add(id);
        }
        ExecutorService workerPool = Executors.newCachedThreadPool();
        for (String id : workerIds) {
            workerPool.submit(() -> workerLoop(id));
        }
        Thread.sleep(1000); // every stream connected

        Map<String, long[]> cpuBefore = new LinkedHashMap<>();
        long commitsBefore = 0;
        long start = System.nanoTime();
        measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService residentPool = Executors.newFixedThreadPool(residents);
        for (int i = 0; i < residents; i++) {
            String resident = "br-" + run + "-" + i;
            long seed = i;
            residentPool.submit(() -> residentLoop(resident, new Random(seed)));
        }
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        OffsetDateTime windowStart = OffsetDateTime.now(ZoneOffset.UTC);
        cpuBefore.putAll(Machine.cpuSeconds());
        commitsBefore = databaseCommits();
        Thread.sleep(Math.max(0, (measureTo - System.nanoTime()) / 1_000_000));
        Map<String, long[]> cpuAfter = Machine.cpuSeconds();
        long commitsAfter = databaseCommits();
        OffsetDateTime windowEnd = OffsetDateTime.now(ZoneOffset.UTC);
        stopping.set(true);
        residentPool.shutdown();
        residentPool.awaitTermination(LIFECYCLE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        stopping.set(false); // the workers keep serving the idle phase
        Thread.sleep(2000); // the last lifecycles' events drain
        // Then at idle, warm: one order at a time, so hops and pushes show the platform's own latency.
        int idleOrders = Integer.parseInt(Machine.env("IDLE_ORDERS", "20"));
        OffsetDateTime idleFrom = OffsetDateTime.now(ZoneOffset.UTC);
        idlePhase = true;
        Random idleRandom = new Random(7);
        for (int i = 0; i < idleOrders; i++) {
            long[] postedSettled = lifecycle("bi-" + run, idleRandom);
            if (postedSettled[1] != 0) {
                idlePostToSettledMs.add((postedSettled[1] - postedSettled[0]) / 1e6);
            }
            Thread.sleep(200);
        }
        idlePhase = false;
        List<String[]> idleHops = hopLatencies(idleFrom, OffsetDateTime.now(ZoneOffset.UTC));
        System.out.printf("idle: %d lifecycles one at a time, post -> settled p50 %s ms%n", idlePostToSettledMs.size(),
                Machine.percentile(idlePostToSettledMs, 0.5));

        stopping.set(true);
        synchronized (openStreams) {
            for (InputStream s : openStreams) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // going away
                }
            }
        }
        workerPool.shutdownNow();
        for (String id : workerIds) { // gone home: later runs must not offer to them
            api.put(api.matching + "/workers/" + id + "/availability", "worker", id, "{\"available\":false}");
        }

        long lifecycles = completedInWindow.get();
        System.out.printf("%d lifecycles completed in the %d s window: %.1f /s%n", lifecycles, seconds, lifecycles / (double) seconds);
        List<String[]> hops = hopLatencies(windowStart, windowEnd);
        System.out.println("measuring this machine's ceilings: pgbench, then Kafka's producer performance tool...");
        boolean ceilings = !"off".equals(Machine.env("CEILINGS", "on")); // off only for quick exploratory runs
        Machine.Ceiling pgbench = ceilings ? Machine.pgbench() : new Machine.Ceiling("pgbench", 0, "not measured (CEILINGS=off)");
        Machine.Ceiling kafka = ceilings ? Machine.kafkaProducer() : new Machine.Ceiling("Kafka producer", 0, "not measured (CEILINGS=off)");
        write(report, residents, workers, seconds, lifecycles, idleHops, hops, cpuBefore, cpuAfter, commitsAfter - commitsBefore,
                pgbench, kafka);
        System.out.println("report: " + report);
    }

    // ---- the people ---------------------------------------------------------------------------

    /** A worker: accepts every offer pushed to them (the resident's loop plays the job itself, below). */
    private void workerLoop(String workerId) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        String[] lastId = {null};
        while (!stopping.get() && !Thread.currentThread().isInterrupted()) { // an app reconnects with Last-Event-ID
            lastId[0] = stream(api.matching + "/workers/" + workerId + "/offers/stream", "worker", workerId, lastId[0], event -> {
            JsonNode offer = event.data();
            if (!"OFFERED".equals(offer.path("status").asText()) || !seen.add(offer.path("offerId").asText())) {
                return true;
            }
            String orderId = offer.path("orderId").asText();
            Long posted = postedAt.get(orderId);
            if (posted != null && idlePhase) {
                idlePostToOfferMs.add((System.nanoTime() - posted) / 1e6);
            } else if (posted != null && posted >= measureFrom && posted < measureTo) {
                postToOfferMs.add((System.nanoTime() - posted) / 1e6);
            }
            Reply accepted = send("POST", api.matching + "/offers/" + offer.path("offerId").asText() + "/accept", "worker", workerId, null, Map.of());
            if (accepted.status() == 409) {
                lostRaces.incrementAndGet();
            } else if (accepted.status() != 200) {
                error("accept " + accepted.status());
            }
            return true; // to the very end: orders posted late in the window still need a worker
            });
        }
    }

    /**
     * A resident: posts, follows the order's stream, confirms when the worker is done, until the end.
     * When the stream says ASSIGNED, the assigned worker starts and finishes the job at once (a worker's
     * app learns of the assignment the same way; the accept's 200 comes before order-service knows).
     */
    private void residentLoop(String residentId, Random random) {
        while (System.nanoTime() < measureTo && !stopping.get()) {
            long[] postedSettled = lifecycle(residentId, random);
            long now = postedSettled[1];
            if (now >= measureFrom && now < measureTo) {
                completedInWindow.incrementAndGet();
                postToSettledMs.add((now - postedSettled[0]) / 1e6);
            }
        }
    }

    /**
     * One order's whole life as its resident drives it; returns when it was posted and when the
     * stream said SETTLED ({@link System#nanoTime()}; 0 when it did not settle).
     */
    private long[] lifecycle(String residentId, Random random) {
        {
            long posting = System.nanoTime();
            long[] settled = {posting, 0};
            OffsetDateTime from = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(1);
            Reply posted = send("POST", api.orders + "/orders", "resident", residentId, """
                            {"serviceCode":"%s","description":"压测订单","location":{"lat":%.6f,"lon":%.6f,"address":"杨家坪"},
                             "window":{"start":"%s","end":"%s"},"priceFen":%d}""".formatted(
                            SERVICES.get(random.nextInt(SERVICES.size())), centerLat + (random.nextDouble() - 0.5) * 0.01,
                            centerLon + (random.nextDouble() - 0.5) * 0.01, from, from.plusHours(2), 3000 + random.nextInt(10_000)),
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            if (posted.status() != 201) {
                error("post " + posted.status());
                return settled;
            }
            String orderId = posted.body().path("id").asText();
            postedAt.put(orderId, posting);
            long deadline = posting + LIFECYCLE_TIMEOUT.toNanos();
            String[] last = {""};
            String lastId = null;
            boolean over = false;
            while (!over && System.nanoTime() < deadline) { // a broken stream is resumed with Last-Event-ID
              lastId = stream(api.orders + "/orders/" + orderId + "/stream", "resident", residentId, lastId, event -> {
                String status = event.data().path("status").asText();
                last[0] = status;
                switch (status) {
                    case "ASSIGNED" -> {
                        String worker = event.data().path("workerId").asText();
                        String code = event.data().path("startCode").asText(); // the resident tells it at the door
                        expect(send("POST", api.orders + "/orders/" + orderId + "/start", "worker", worker,
                                "{\"code\":\"" + code + "\"}", Map.of()), 200, "start");
                        expect(send("POST", api.orders + "/orders/" + orderId + "/done", "worker", worker, null, Map.of()), 200, "done");
                    }
                    case "AWAITING_CONFIRMATION" -> expect(send("POST", api.orders + "/orders/" + orderId + "/confirm", "resident",
                            residentId, null, Map.of()), 200, "confirm");
                    case "SETTLED" -> {
                        settled[1] = System.nanoTime();
                        return false;
                    }
                    case "UNMATCHED", "CANCELLED", "PAYMENT_FAILED" -> {
                        error("order ended " + status);
                        return false;
                    }
                    default -> {
                    }
                }
                return System.nanoTime() < deadline;
              });
              over = last[0].equals("SETTLED") || last[0].equals("UNMATCHED") || last[0].equals("CANCELLED");
            }
            if (!"SETTLED".equals(last[0]) && !last[0].equals("UNMATCHED") && !last[0].equals("CANCELLED")) {
                error("no SETTLED within " + LIFECYCLE_TIMEOUT.toSeconds() + " s (last " + last[0] + ")");
            }
            postedAt.remove(orderId);
            return settled;
        }
    }

    private record Event(String id, JsonNode data) {
    }

    /**
     * Reads a Server-Sent Events stream (from after {@code lastEventId}, if not null) until
     * {@code handler} returns false or the stream ends; returns the id of the last event read.
     */
    private String stream(String url, String role, String subject, String lastEventId,
                          java.util.function.Predicate<Event> handler) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + DevTokens.mint(role, subject)).GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpRequest request = builder.build();
        String lastId = lastEventId;
        InputStream body = null;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (response.statusCode() != 200) {
                error("stream " + response.statusCode());
                Thread.sleep(500);
                return lastId;
            }
            openStreams.add(body);
            String[] last = {lastId};
            try {
                SseProbe.readEvents(body, event -> {
                    last[0] = event.id() == null ? last[0] : event.id();
                    try {
                        return handler.test(new Event(event.id(), PlatformClient.JSON.readTree(event.data())));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } finally {
                lastId = last[0];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!stopping.get()) {
                error("stream broke (resumed): " + e.getClass().getSimpleName());
            }
        } finally {
            if (body != null) {
                openStreams.remove(body);
                try {
                    body.close();
                } catch (IOException ignored) {
                    // done with it
                }
            }
        }
        return lastId;
    }

    /**
     * One API call as a phone makes it: timed (the longest wait is reported), and when the service
     * says 503 with Retry-After, retried after that many seconds, as a polite client does.
     */
    private Reply send(String method, String url, String role, String subject, String json, Map<String, String> headers) {
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            Reply reply = api.call(method, url, role, subject, json, "application/json", headers);
            long ms = (System.nanoTime() - start) / 1_000_000;
            longestWaitMs.accumulateAndGet(ms, Math::max);
            if (reply.status() != 503 && reply.status() != 429) {
                return reply;
            }
            refusedBusy.incrementAndGet();
            longestRefusalMs.accumulateAndGet(ms, Math::max);
            if (attempt == 20 || stopping.get()) {
                return reply;
            }
            try {
                Thread.sleep(1000L * Math.max(1, reply.retryAfterSeconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reply;
            }
        }
    }

    private void expect(Reply reply, int status, String what) {
        if (reply.status() != status) {
            error(what + " " + reply.status());
        }
    }

    private void error(String what) {
        errors.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    // ---- measurements from the machine ----------------------------------------------------------

    private static Connection superuser() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + Machine.env("GIG_DB_PORT", "15432") + "/gig?user=postgres");
    }

    private static long databaseCommits() throws Exception {
        try (Connection db = superuser(); ResultSet rs = db.createStatement()
                .executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = 'gig'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each hop from the writing transaction's time to the consumer's effect, from the databases. */
    private static List<String[]> hopLatencies(OffsetDateTime from, OffsetDateTime to) throws Exception {
        String sql = """
                WITH o AS (SELECT id, created_at FROM orders.gig_order WHERE created_at >= ? AND created_at < ?),
                hops AS (
                  SELECT 'gig.orders: posted → hold asked (settlement)' AS hop, 1 AS n,
                         (SELECT h.created_at FROM settlement.payment_hold h WHERE h.order_id = o.id::text) - o.created_at AS d
                  FROM o
                  UNION ALL
                  SELECT 'payment sender: hold asked → channel answered held (settlement)', 2,
                         (SELECT i.answered_at FROM settlement.payment_instruction i WHERE i.reference = 'HOLD-' || o.id || '-1')
                         - (SELECT h.created_at FROM settlement.payment_hold h WHERE h.order_id = o.id::text) FROM o
                  UNION ALL
                  SELECT 'gig.settlement: held → offers made (matching)', 3,
                         (SELECT min(f.created_at) FROM matching.offer f WHERE f.order_id = o.id)
                         - (SELECT i.answered_at FROM settlement.payment_instruction i WHERE i.reference = 'HOLD-' || o.id || '-1') FROM o
                  UNION ALL
                  SELECT 'posted → offers made, all of the above', 4,
                         (SELECT min(f.created_at) FROM matching.offer f WHERE f.order_id = o.id) - o.created_at FROM o
                  UNION ALL
                  SELECT 'gig.matching: accepted → order ASSIGNED (orders)', 5,
                         (SELECT t.at FROM orders.order_transition t WHERE t.order_id = o.id AND t.to_status = 'ASSIGNED')
                         - (SELECT f.decided_at FROM matching.offer f WHERE f.order_id = o.id AND f.status = 'ACCEPTED') FROM o
                  UNION ALL
                  SELECT 'gig.orders: completed → settlement booked (settlement)', 6,
                         (SELECT s.settled_at FROM settlement.settlement s WHERE s.order_id = o.id::text)
                         - (SELECT t.at FROM orders.order_transition t WHERE t.order_id = o.id AND t.to_status = 'COMPLETED') FROM o
                  UNION ALL
                  SELECT 'gig.settlement: settled → order SETTLED (orders)', 7,
                         (SELECT t.at FROM orders.order_transition t WHERE t.order_id = o.id AND t.to_status = 'SETTLED')
                         - (SELECT s.settled_at FROM settlement.settlement s WHERE s.order_id = o.id::text) FROM o)
                SELECT hop, count(d),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d) * 1000),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM d) * 1000)
                FROM hops WHERE d IS NOT NULL GROUP BY hop, n ORDER BY n""";
        List<String[]> rows = new ArrayList<>();
        try (Connection db = superuser(); PreparedStatement st = db.prepareStatement(sql)) {
            st.setObject(1, from);
            st.setObject(2, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), String.valueOf(rs.getLong(2)),
                            "%.1f".formatted(rs.getDouble(3)), "%.1f".formatted(rs.getDouble(4))});
                }
            }
        }
        return rows;
    }

    // ---- the report ---------------------------------------------------------------------------

    private void write(Path report, int residents, int workers, int seconds, long lifecycles, List<String[]> idleHops,
                       List<String[]> hops,
                       Map<String, long[]> cpuBefore, Map<String, long[]> cpuAfter, long commits, Machine.Ceiling pgbench,
                       Machine.Ceiling kafka) throws IOException {
        double rate = lifecycles / (double) seconds;
        StringBuilder md = new StringBuilder();
        md.append("# Platform benchmark: the whole order life through the public API\n\n");
        md.append("Run `").append(run).append("` at ").append(OffsetDateTime.now(ZoneOffset.UTC)).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(Machine.machineMemory()).append("; the services' JVM flags: `")
                .append(Machine.serviceJvmFlags()).append("`.\n");
        md.append("%d residents posting one order after another (each following its order's stream and confirming), %d workers on their offer streams accepting every offer; %d s measured after the warm-up.%n%n"
                .formatted(residents, workers, seconds));
        md.append("| figure | value |\n|---|---|\n");
        md.append("| full lifecycles (post → offer → accept → start → done → confirm → SETTLED) | %d in %d s = **%.1f /s** |%n"
                .formatted(lifecycles, seconds, rate));
        md.append("| post → settled | p50 %s ms, p90 %s ms, p99 %s ms |%n".formatted(Machine.percentile(postToSettledMs, 0.5),
                Machine.percentile(postToSettledMs, 0.9), Machine.percentile(postToSettledMs, 0.99)));
        md.append("| post → offer pushed to a worker's stream | p50 %s ms, p99 %s ms (%d offers) |%n".formatted(
                Machine.percentile(postToOfferMs, 0.5), Machine.percentile(postToOfferMs, 0.99), postToOfferMs.size()));
        long errorCount = errors.values().stream().mapToLong(AtomicLong::get).sum();
        md.append("| errors | %d %s |%n".formatted(errorCount, errors.isEmpty() ? "" : errors.toString()));
        md.append("| requests refused as busy (503 + Retry-After, then retried) | %d; slowest refusal %d ms |%n"
                .formatted(refusedBusy.get(), longestRefusalMs.get()));
        md.append("| longest wait for any API answer | %d ms |%n".formatted(longestWaitMs.get()));
        md.append("| accepts that lost the race to another worker (409, expected: K offers per order) | %d |%n".formatted(lostRaces.get()));
        md.append("| PostgreSQL transactions committed in the platform database | %d (%.1f per lifecycle) |%n%n"
                .formatted(commits, lifecycles == 0 ? 0 : commits / (double) lifecycles));
        md.append("## At idle: %d orders one at a time, after the load (warm JVMs)%n%n".formatted(idlePostToSettledMs.size()));
        md.append("post → settled p50 %s ms, p99 %s ms; post → offer on a worker's stream p50 %s ms, p99 %s ms (%d offers)%n%n"
                .formatted(Machine.percentile(idlePostToSettledMs, 0.5), Machine.percentile(idlePostToSettledMs, 0.99),
                        Machine.percentile(idlePostToOfferMs, 0.5), Machine.percentile(idlePostToOfferMs, 0.99), idlePostToOfferMs.size()));
        md.append("| hop at idle | orders | p50 ms | p99 ms |\n|---|---|---|---|\n");
        for (String[] h : idleHops) {
            md.append("| ").append(String.join(" | ", h)).append(" |\n");
        }
        md.append("\n## Hops between services under load (writing transaction → consumer's effect, database timestamps)\n\n");
        md.append("| hop | orders | p50 ms | p99 ms |\n|---|---|---|---|\n");
        for (String[] h : hops) {
            md.append("| ").append(String.join(" | ", h)).append(" |\n");
        }
        md.append("\n## CPU seconds per lifecycle\n\n| process | CPU s in the window | CPU ms per lifecycle |\n|---|---|---|\n");
        double total = 0;
        for (var e : cpuAfter.entrySet()) {
            long[] before = cpuBefore.get(e.getKey());
            if (before == null) {
                continue;
            }
            double cpuSeconds = (e.getValue()[0] - before[0]) / 100.0;
            total += cpuSeconds;
            md.append("| %s | %.1f | %.1f |%n".formatted(e.getKey(), cpuSeconds, lifecycles == 0 ? 0 : cpuSeconds * 1000 / lifecycles));
        }
        md.append("| **all** | %.1f of %d available | %.1f |%n%n".formatted(total,
                seconds * Runtime.getRuntime().availableProcessors(), lifecycles == 0 ? 0 : total * 1000 / lifecycles));
        md.append("## This machine's ceilings, measured in the same run\n\n| tool | per second | ratio of the lifecycle rate | detail |\n|---|---|---|---|\n");
        for (Machine.Ceiling c : List.of(pgbench, kafka)) {
            md.append("| %s | %.0f | %s | %s |%n".formatted(c.what(), c.perSecond(),
                    c.perSecond() == 0 ? "–" : "%.2f %%".formatted(100 * rate / c.perSecond()), c.detail().replace("|", "/")));
        }
        md.append("\nA lifecycle is about %.0f database transactions, so the platform used %.0f transactions/s, %.0f %% of pgbench's TPS.%n"
                .formatted(lifecycles == 0 ? 0 : commits / (double) lifecycles, commits / (double) seconds,
                        pgbench.perSecond() == 0 ? 0 : 100 * commits / (double) seconds / pgbench.perSecond()));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString());
        System.out.print(md);
    }
}
