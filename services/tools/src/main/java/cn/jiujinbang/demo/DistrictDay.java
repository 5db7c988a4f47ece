package cn.jiujinbang.demo;

import cn.jiujinbang.catalog.Catalog;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated day of a district like the article's Jiulongpo (Chongqing): residents around
 * Yangjiaping and Xiejiawan post ORDERS requests over the 56 services at their guide prices; gig
 * workers living nearby accept after a random delay; some residents cancel; some ask for help where
 * nobody lives. Everything goes through the public HTTP API of a running platform. At the end
 * finance runs the payout batch, imports the simulated channel's statement and reads the report.
 * The summary is printed and written to target/demo/district-day.md.
 */
public final class DistrictDay {

    /** Yangjiaping, Jiulongpo district, Chongqing. */
    private static final double CENTER_LAT = 29.5035;
    private static final double CENTER_LON = 106.5105;
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private final PlatformClient api;
    private final Random random;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, AtomicInteger> byState = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byCategory = new ConcurrentHashMap<>();
    private final List<String> orderIds = Collections.synchronizedList(new ArrayList<>());

    record Worker(String id, double lat, double lon, double radiusKm, List<String> skills) {
    }

    private DistrictDay(PlatformClient api, long seed) {
        this.api = api;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        int orders = Integer.parseInt(System.getenv().getOrDefault("ORDERS", "1081"));
        int workerCount = Integer.parseInt(System.getenv().getOrDefault("WORKERS", String.valueOf(Math.max(60, orders / 8))));
        int parallel = Integer.parseInt(System.getenv().getOrDefault("PARALLEL", "12"));
        PlatformClient api = new PlatformClient(env("ORDER_URL", "http://localhost:8081"),
                env("MATCHING_URL", "http://localhost:8082"), env("SETTLEMENT_URL", "http://localhost:8083"));
        if (!api.ready()) {
            System.err.println("the platform is not running: start it with 'make run'");
            System.exit(1);
        }
        Path report = Path.of(args.length > 0 ? args[0] : "target/demo/district-day.md");
        new DistrictDay(api, Long.parseLong(System.getenv().getOrDefault("SEED", "1081"))).play(orders, workerCount, parallel, report);
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }

    private void play(int orderCount, int workerCount, int parallel, Path report) throws Exception {
        Instant started = Instant.now();
        List<Catalog.ServiceType> services = Catalog.standard().services();
        System.out.printf("就近帮 demo %s: %d workers, %d orders over %d services, %d at a time%n", run, workerCount,
                orderCount, services.size(), parallel);
        registerWorkers(workerCount, services);

        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> done = new ArrayList<>();
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < orderCount; i++) {
            Catalog.ServiceType service = services.get(random.nextInt(services.size()));
            double roll = random.nextDouble();
            long seed = random.nextLong();
            int n = i;
            done.add(pool.submit(() -> {
                try {
                    playOrder(n, service, roll, new Random(seed));
                } catch (RuntimeException e) {
                    count(byState, "ERROR");
                    System.err.println("order " + n + ": " + e.getMessage());
                }
                int f = finished.incrementAndGet();
                if (f % 100 == 0) {
                    System.out.printf("  %d orders played (%d s)%n", f, Duration.between(started, Instant.now()).toSeconds());
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        awaitSettlements();
        String summary = summarize(started, orderCount, workerCount);
        for (Worker w : workers) { // a later run starts with its own workers only
            api.put(api.matching + "/workers/" + w.id() + "/availability", "worker", w.id(), "{\"available\":false}");
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, summary, StandardCharsets.UTF_8);
        System.out.println(summary);
        System.out.println("(written to " + report + ")");
    }

    private void registerWorkers(int count, List<Catalog.ServiceType> services) {
        for (int i = 0; i < count; i++) {
            // every service has workers: skill i and i+count spread the 56 codes over everybody, plus a few random
            List<String> skills = new ArrayList<>();
            skills.add(services.get(i % services.size()).code());
            for (int k = 0; k < 5; k++) {
                String code = services.get(random.nextInt(services.size())).code();
                if (!skills.contains(code)) {
                    skills.add(code);
                }
            }
            double[] home = around(4.0);
            Worker w = new Worker("w-" + run + "-" + i, home[0], home[1], 3 + random.nextInt(6), skills);
            PlatformClient.Reply r = api.post(api.matching + "/workers", "worker", w.id(), """
                    {"name":"师傅%d","serviceCodes":["%s"],"home":{"lat":%s,"lon":%s},"radiusKm":%s}"""
                    .formatted(i, String.join("\",\"", skills), w.lat(), w.lon(), w.radiusKm()));
            if (r.status() != 201) {
                throw new IllegalStateException("registering " + w.id() + ": " + r.status() + " " + r.text());
            }
            api.verifyAndSign(w.id());
            workers.add(w);
        }
    }

    /** A point within {@code km} of the center. */
    private double[] around(double km) {
        double r = km * Math.sqrt(random.nextDouble());
        double a = random.nextDouble() * 2 * Math.PI;
        return new double[]{CENTER_LAT + r * Math.cos(a) / 111.32, CENTER_LON + r * Math.sin(a) / (111.32 * Math.cos(Math.toRadians(CENTER_LAT)))};
    }

    private void playOrder(int n, Catalog.ServiceType service, double roll, Random rnd) {
        String resident = "r-" + run + "-" + (n % 400);
        boolean nobodyThere = roll < 0.03;           // asked far out in the countryside
        boolean cancelEarly = roll >= 0.03 && roll < 0.05;
        boolean cancelLate = roll >= 0.05 && roll < 0.09;
        double lat;
        double lon;
        if (nobodyThere) {
            lat = 29.05 + rnd.nextDouble() * 0.05; // south of Qijiang, far from every demo worker
            lon = 106.20 + rnd.nextDouble() * 0.05;
        } else {
            double[] p = around(3.5);
            lat = p[0];
            lon = p[1];
        }
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(1 + rnd.nextInt(3)); // within the 4 h lead: offered at once
        PlatformClient.Reply posted = api.call("POST", api.orders + "/orders", "resident", resident, """
                {"serviceCode":"%s","description":"%s","location":{"lat":%s,"lon":%s,"address":"九龙坡区 杨家坪"},
                 "window":{"start":"%s","end":"%s"},"priceFen":%d}"""
                .formatted(service.code(), service.nameZh() + "，谢谢", lat, lon, start, start.plusHours(2), service.guidePriceFen()),
                "application/json", Map.of("Idempotency-Key", "demo-" + run + "-" + n));
        if (posted.status() != 201) {
            throw new IllegalStateException("post: " + posted.status() + " " + posted.text());
        }
        String orderId = posted.body().get("id").asText();
        orderIds.add(orderId);
        count(byCategory, service.categoryCode());
        if (cancelEarly) {
            sleep(rnd.nextInt(300));
            PlatformClient.Reply c = api.post(api.orders + "/orders/" + orderId + "/cancel", "resident", resident,
                    "{\"reason\":\"找到邻居帮忙了\"}");
            if (c.status() == 200) {
                count(byState, "CANCELLED before assignment");
                return;
            } // already assigned: go on
        }
        if (nobodyThere) {
            awaitStatus(resident, orderId, "UNMATCHED", Duration.ofSeconds(60));
            count(byState, "UNMATCHED");
            return;
        }
        String worker = acceptFirstOffer(orderId, service.code(), lat, lon, rnd);
        if (worker == null) {
            String s = awaitStatus(resident, orderId, "UNMATCHED", Duration.ofMinutes(8));
            count(byState, s);
            return;
        }
        awaitStatus(resident, orderId, "ASSIGNED", Duration.ofSeconds(30));
        if (cancelLate) {
            api.post(api.orders + "/orders/" + orderId + "/cancel", "resident", resident, "{\"reason\":\"计划有变\"}");
            count(byState, "CANCELLED after assignment (compensated)");
            return;
        }
        String code = api.get(api.orders + "/orders/" + orderId, "resident", resident).body().path("startCode").asText();
        expect(api.post(api.orders + "/orders/" + orderId + "/start", "worker", worker, "{\"code\":\"" + code + "\"}"), "start");
        expect(api.post(api.orders + "/orders/" + orderId + "/done", "worker", worker, null), "done");
        expect(api.post(api.orders + "/orders/" + orderId + "/confirm", "resident", resident, null), "confirm");
        count(byState, "COMPLETED");
    }

    /** The eligible workers nearby watch their offers; one accepts after a moment's thought. */
    private String acceptFirstOffer(String orderId, String serviceCode, double lat, double lon, Random rnd) {
        List<Worker> nearby = workers.stream().filter(w -> w.skills().contains(serviceCode))
                .filter(w -> km(w.lat(), w.lon(), lat, lon) <= Math.min(w.radiusKm(), 10))
                .sorted((a, b) -> Double.compare(km(a.lat(), a.lon(), lat, lon), km(b.lat(), b.lon(), lat, lon)))
                .limit(15).toList();
        if (nearby.isEmpty()) {
            return null;
        }
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            List<String[]> offered = new ArrayList<>();
            for (Worker w : nearby) {
                JsonNode offers = api.get(api.matching + "/workers/" + w.id() + "/offers?status=OFFERED", "worker", w.id()).body();
                for (JsonNode o : offers) {
                    if (orderId.equals(o.get("orderId").asText())) {
                        offered.add(new String[]{w.id(), o.get("offerId").asText()});
                    }
                }
            }
            if (!offered.isEmpty()) {
                sleep(200 + rnd.nextInt(1500)); // thinking it over
                Collections.shuffle(offered, rnd);
                for (String[] o : offered) {
                    int status = api.post(api.matching + "/offers/" + o[1] + "/accept", "worker", o[0], null).status();
                    if (status == 200) {
                        return o[0];
                    }
                }
                return null;
            }
            sleep(250);
        }
        return null;
    }

    private void awaitSettlements() {
        Instant deadline = Instant.now().plusSeconds(120);
        for (String id : orderIds) {
            while (Instant.now().isBefore(deadline)) {
                JsonNode order = api.get(api.orders + "/orders/" + id, "admin", "demo-admin").body();
                String s = order.get("status").asText();
                if (!s.equals("COMPLETED") && !s.equals("POSTED") && !s.equals("ASSIGNED")) {
                    break;
                }
                sleep(200);
            }
        }
    }

    /** Polls {@code done} every 100 ms for at most 30 s. */
    private static void awaitUntil(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String summarize(Instant started, int orderCount, int workerCount) {
        Map<String, Integer> finalStates = new TreeMap<>();
        long charged = 0, gross = 0, fees = 0, tax = 0, net = 0;
        int settled = 0;
        for (String id : orderIds) {
            String s = api.get(api.orders + "/orders/" + id, "admin", "demo-admin").body().get("status").asText();
            finalStates.merge(s, 1, Integer::sum);
            PlatformClient.Reply st = api.get(api.settlement + "/settlements/" + id, "finance", "demo-finance");
            if (st.status() == 200) {
                settled++;
                charged += st.body().get("chargedFen").asLong();
                gross += st.body().get("grossFen").asLong();
                fees += st.body().get("serviceFeeFen").asLong();
                tax += st.body().get("taxFen").asLong();
                net += st.body().get("netFen").asLong();
            }
        }
        LocalDate today = LocalDate.now(SHANGHAI);
        // workers are paid from collected money: wait (briefly) for the channel's answers to the charges
        awaitUntil(() -> orderIds.stream().map(id -> api.get(api.settlement + "/settlements/" + id, "finance", "demo-finance"))
                .filter(r -> r.status() == 200).noneMatch(r -> "PENDING".equals(r.body().path("chargeStatus").asText())));
        JsonNode batch = api.post(api.settlement + "/payout-batches", "finance", "demo-finance", "{\"date\":\"" + today + "\"}").body();
        String batchId = batch.path("id").asText();
        // the payment sender sends the payouts right after the batch commits; the statement shows them then
        awaitUntil(() -> {
            for (JsonNode p : api.get(api.settlement + "/payout-batches/" + batchId, "finance", "demo-finance").body().path("payouts")) {
                if ("INSTRUCTED".equals(p.path("status").asText())) {
                    return false;
                }
            }
            return true;
        });
        String statement = api.get(api.settlement + "/channel/statement?date=" + today, "finance", "demo-finance").text();
        JsonNode recon = api.call("POST", api.settlement + "/reconciliations", "finance", "demo-finance", statement, "text/csv",
                Map.of()).body();
        JsonNode trial = api.get(api.settlement + "/ledger/trial-balance", "finance", "demo-finance").body();
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        boolean identity = charged == net + tax + fees;
        int ourPayouts = 0;
        long ourPaid = 0;
        for (JsonNode p : batch.path("payouts")) {
            if (p.path("workerId").asText().startsWith("w-" + run + "-")) {
                ourPayouts++;
                ourPaid += p.path("amountFen").asLong();
            }
        }
        StringBuilder findings = new StringBuilder();
        for (String kind : new String[]{"missingInStatement", "unknownInLedger", "amountMismatches", "statusMismatches"}) {
            for (JsonNode f : recon.path(kind)) {
                findings.append("- ").append(kind).append(": ").append(f.path("type").asText()).append(' ')
                        .append(f.path("reference").asText()).append('\n');
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("# 就近帮 — a day in Jiulongpo (demo run ").append(run).append(")\n\n");
        out.append(String.format("%d orders posted by residents around Yangjiaping, %d workers living nearby; took %d s.%n%n",
                orderCount, workerCount, seconds));
        out.append("## Orders by final state\n| state | orders |\n|---|---|\n");
        finalStates.forEach((s, n) -> out.append("| ").append(s).append(" | ").append(n).append(" |\n"));
        out.append("\n## What happened\n| event | orders |\n|---|---|\n");
        new TreeMap<>(byState).forEach((s, n) -> out.append("| ").append(s).append(" | ").append(n.get()).append(" |\n"));
        out.append("\n## Orders by category\n| category | orders |\n|---|---|\n");
        for (Catalog.Category c : Catalog.standard().categories()) {
            AtomicInteger n = byCategory.get(c.code());
            out.append("| ").append(c.nameZh()).append(" ").append(c.nameEn()).append(" | ").append(n == null ? 0 : n.get()).append(" |\n");
        }
        out.append(String.format("""

                ## Money (settlements of this run: %d)
                | | yuan |
                |---|---|
                | charged to residents | %s |
                | workers' gross labor fees | %s |
                | platform service fees | %s |
                | income tax withheld | %s |
                | net paid to workers | %s |

                charged = net + tax + fees: %s = %s + %s + %s → **%s**
                Average order price: %s yuan.

                ## Finance
                Payout batch %s for %s: %d payouts to this run's workers, %s yuan (%d payouts in the batch).
                Reconciliation of the simulated channel's statement for the day: %d lines matched, %d findings.
                %s
                Trial balance total: %d fen (%s).
                """, settled, yuan(charged), yuan(gross), yuan(fees), yuan(tax), yuan(net),
                yuan(charged), yuan(net), yuan(tax), yuan(fees), identity ? "holds to the fen" : "DOES NOT HOLD",
                yuan(settled == 0 ? 0 : gross / Math.max(1, settled)),
                batch.path("id").asText(), today, ourPayouts, yuan(ourPaid), batch.path("payouts").size(),
                recon.path("totals").path("matched").asInt(), recon.path("totals").path("findings").asInt(), findings,
                trial.path("totalFen").asLong(), trial.path("balanced").asBoolean() ? "balanced" : "NOT BALANCED"));
        return out.toString();
    }

    private String awaitStatus(String resident, String orderId, String wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String s = null;
        while (Instant.now().isBefore(deadline)) {
            s = api.get(api.orders + "/orders/" + orderId, "resident", resident).body().get("status").asText();
            if (s.equals(wanted)) {
                return s;
            }
            sleep(200);
        }
        return s;
    }

    private static void expect(PlatformClient.Reply reply, String step) {
        if (reply.status() != 200) {
            throw new IllegalStateException(step + ": " + reply.status() + " " + reply.text());
        }
    }

    private static void count(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static double km(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6378.168 * Math.asin(Math.sqrt(a));
    }

    private static String yuan(long fen) {
        return String.format("%,d.%02d", fen / 100, Math.abs(fen % 100));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
