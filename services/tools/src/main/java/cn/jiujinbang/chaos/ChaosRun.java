package cn.jiujinbang.chaos;

import cn.jiujinbang.catalog.Catalog;
import cn.jiujinbang.demo.PlatformClient;
import cn.jiujinbang.devinfra.TestIdentities;
import cn.jiujinbang.devinfra.InfraResources;
import cn.jiujinbang.devinfra.LocalKafka;
import cn.jiujinbang.devinfra.LocalServices;
import cn.jiujinbang.devinfra.LocalPostgres;
import cn.jiujinbang.ops.DeadLetters;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code make chaos}: the platform with two replicas of each service, real PostgreSQL and Kafka,
 * at least {@code ORDERS} orders (2,000 by default; more while faults are still being injected) driven
 * through their whole life by residents and workers (completed, cancelled before and after
 * assignment, unmatched), while every service replica is
 * killed with SIGKILL and restarted {@code KILLS} times (3), the Kafka broker once and PostgreSQL once
 * (every one of its processes SIGKILLed: crash recovery at restart). Faults come one after another,
 * {@code FAULT_EVERY} seconds apart (10) and at least 5 s after the previous one is back, each down
 * for {@code DOWN_FOR} seconds (4). Then it checks,
 * from the public API and the databases, that nothing was lost, duplicated or left stuck and that the
 * money is right to the fen, and prints the recovery time after every fault. Seeded ({@code SEED}):
 * the same seed plays the same orders and the same fault order. Report: target/chaos/report.md;
 * exit status 1 when a check fails.
 */
public final class ChaosRun {

    private static final List<String> SERVICES = List.of("order-service", "matching-service", "settlement-service");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final double CENTER_LAT = 29.5035;
    private static final double CENTER_LON = 106.5105;

    enum Plan { COMPLETE, CANCEL_BEFORE_ASSIGNMENT, CANCEL_AFTER_ASSIGNMENT, NOBODY_NEARBY }

    /** What the driver did with one order and when. */
    static final class Played {
        final int n;
        final Plan plan;
        volatile String id;
        volatile long postedAt;
        volatile long settledAt;
        volatile boolean cancelledAfterAssignment;
        volatile String note;

        Played(int n, Plan plan) {
            this.n = n;
            this.plan = plan;
        }
    }

    record Worker(String id, double lat, double lon, List<String> skills) {
    }

    /** One fault: what was killed, when, and when it was back. */
    static final class Fault {
        final String target;
        volatile long killedAt;
        volatile long restartedAt;
        volatile long readyAt;

        Fault(String target) {
            this.target = target;
        }
    }

    private final long seed;
    private final int orderCount;
    private final int workerCount;
    private final int parallel;
    private final int killsPerReplica;
    private final Duration faultEvery;
    private final Duration downFor;
    private final String run;
    private final Path logs;

    private LocalPostgres postgres;
    private volatile LocalKafka kafka;
    private int kafkaPort;
    private int controllerPort;
    private Path kafkaDir;
    private final Map<String, List<Replica>> replicas = new LinkedHashMap<>();
    private SpreadClient api;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Played> played = Collections.synchronizedList(new ArrayList<>());
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, AtomicInteger> anomalies = new ConcurrentHashMap<>();
    private final List<String> anomalyExamples = Collections.synchronizedList(new ArrayList<>());

    private ChaosRun(long seed, int orderCount, int workerCount, int parallel, int killsPerReplica, Duration faultEvery,
                     Duration downFor, Path logs) {
        this.seed = seed;
        this.orderCount = orderCount;
        this.workerCount = workerCount;
        this.parallel = parallel;
        this.killsPerReplica = killsPerReplica;
        this.faultEvery = faultEvery;
        this.downFor = downFor;
        this.run = Long.toString(seed, 36);
        this.logs = logs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Path report = Path.of(args.length > 0 ? args[0] : "target/chaos/report.md");
        Path logs = report.toAbsolutePath().getParent().resolve("logs");
        Files.createDirectories(logs);
        ChaosRun chaos = new ChaosRun(Long.parseLong(env.getOrDefault("SEED", "11")),
                Integer.parseInt(env.getOrDefault("ORDERS", "2000")),
                Integer.parseInt(env.getOrDefault("WORKERS", "300")),
                Integer.parseInt(env.getOrDefault("PARALLEL", "24")),
                Integer.parseInt(env.getOrDefault("KILLS", "3")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("FAULT_EVERY", "10"))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("DOWN_FOR", "4"))), logs);
        boolean passed;
        try {
            passed = chaos.play(report);
        } finally {
            chaos.stopAll();
        }
        System.exit(passed ? 0 : 1);
    }

    // ---- the platform -----------------------------------------------------------------------------

    private void startAll() throws Exception {
        Path work = Files.createTempDirectory("gig-chaos");
        postgres = LocalPostgres.start(InfraResources.freePort(), work.resolve("postgres"));
        kafkaPort = InfraResources.freePort();
        controllerPort = InfraResources.freePort();
        kafkaDir = work.resolve("kafka");
        kafka = LocalKafka.start(kafkaPort, controllerPort, kafkaDir);
        Map<String, String> env = new java.util.HashMap<>(LocalServices.environment("localhost", postgres.port(), kafka.bootstrapServers()));
        // unmatched orders end within a minute instead of three rounds of two minutes
        env.put("GIG_MATCHING_OFFER_TTL", "PT15S");
        env.put("GIG_MATCHING_EXPIRY_CHECK", "1s");
        for (String service : SERVICES) {
            List<Replica> of = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                of.add(new Replica(service, i, InfraResources.freePort(), env, logs));
            }
            replicas.put(service, of);
        }
        for (List<Replica> of : replicas.values()) {
            for (Replica r : of) {
                r.start();
            }
        }
        for (List<Replica> of : replicas.values()) {
            for (Replica r : of) {
                r.awaitReady(Duration.ofMinutes(3));
            }
        }
        api = new SpreadClient(replicas);
    }

    private void stopAll() {
        for (List<Replica> of : replicas.values()) {
            for (Replica r : of) {
                try {
                    r.stop();
                } catch (Exception ignored) {
                    // going away anyway
                }
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // going away anyway
            }
        }
    }

    // ---- the run ----------------------------------------------------------------------------------

    private boolean play(Path reportFile) throws Exception {
        Instant started = Instant.now();
        System.out.printf("chaos %s: starting PostgreSQL, Kafka and two replicas of each service...%n", run);
        startAll();
        System.out.printf("  up in %d s; %d workers, %d orders, %d at a time%n",
                Duration.between(started, Instant.now()).toSeconds(), workerCount, orderCount, parallel);
        Random random = new Random(seed);
        registerWorkers(random);
        List<Fault> schedule = schedule(random);

        Thread faultThread = new Thread(() -> injectFaults(schedule), "chaos-faults");
        Instant loadStarted = Instant.now();
        faultThread.start();
        // ORDERS is the least: residents keep posting until every fault has been injected and recovered from
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> futures = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        for (int t = 0; t < parallel; t++) {
            futures.add(pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < orderCount || faultThread.isAlive()) {
                    Random rnd = new Random(mix(seed, n)); // the same order for the same seed and number
                    double roll = rnd.nextDouble();
                    Plan plan = roll < 0.03 ? Plan.NOBODY_NEARBY : roll < 0.06 ? Plan.CANCEL_BEFORE_ASSIGNMENT
                            : roll < 0.10 ? Plan.CANCEL_AFTER_ASSIGNMENT : Plan.COMPLETE;
                    Played p = new Played(n, plan);
                    played.add(p);
                    try {
                        playOrder(p, rnd);
                    } catch (RuntimeException e) {
                        anomaly("driver gave up on an order", p, e.getMessage());
                    }
                    int f = finished.incrementAndGet();
                    if (f % 500 == 0) {
                        System.out.printf("  %d orders played (%d s)%n", f, Duration.between(loadStarted, Instant.now()).toSeconds());
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        faultThread.join();
        Duration load = Duration.between(loadStarted, Instant.now());
        System.out.printf("  load done in %d s; %d faults injected; draining...%n", load.toSeconds(), faults.size());
        Map<String, String> finalStates = drain(Duration.ofMinutes(4));
        List<Check> checks = check(finalStates);
        String report = report(started, load, finalStates, checks);
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        Files.writeString(reportFile, report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println("(written to " + reportFile + ")");
        return checks.stream().allMatch(Check::passed);
    }

    private void registerWorkers(Random random) {
        List<Catalog.ServiceType> services = Catalog.standard().services();
        for (int i = 0; i < workerCount; i++) {
            List<String> skills = new ArrayList<>();
            while (skills.size() < 3) {
                String code = services.get(random.nextInt(services.size())).code();
                if (!skills.contains(code)) {
                    skills.add(code);
                }
            }
            double[] home = around(random, 15);
            Worker w = new Worker("w-chaos-" + run + "-" + i, home[0], home[1], skills);
            PlatformClient.Reply r = api.post("matching-service", "/workers", "worker", w.id(), """
                    {"name":"师傅%d","serviceCodes":["%s"],"home":{"lat":%s,"lon":%s},"radiusKm":3}"""
                    .formatted(i, String.join("\",\"", skills), w.lat(), w.lon()));
            if (r.status() != 201 && r.status() != 409) {
                throw new IllegalStateException("registering " + w.id() + ": " + r.status() + " " + r.text());
            }
            for (String[] step : new String[][]{{"/verification", TestIdentities.VERIFICATION}, {"/agreement", TestIdentities.AGREEMENT}}) {
                PlatformClient.Reply s = api.post("matching-service", "/workers/" + w.id() + step[0], "worker", w.id(), step[1]);
                if (s.status() != 200 && s.status() != 409) {
                    throw new IllegalStateException(w.id() + step[0] + ": " + s.status() + " " + s.text());
                }
            }
            workers.add(w);
        }
    }

    /** Every replica killed {@code killsPerReplica} times, the broker once, PostgreSQL once; in a seeded order. */
    private List<Fault> schedule(Random random) {
        List<Fault> list = new ArrayList<>();
        for (List<Replica> of : replicas.values()) {
            for (Replica r : of) {
                for (int k = 0; k < killsPerReplica; k++) {
                    list.add(new Fault(r.name()));
                }
            }
        }
        list.add(new Fault("kafka"));
        list.add(new Fault("postgresql"));
        Collections.shuffle(list, random);
        return list;
    }

    private void injectFaults(List<Fault> schedule) {
        try {
            Thread.sleep(faultEvery.toMillis()); // the platform under load first
            for (Fault fault : schedule) {
                long next = System.currentTimeMillis() + faultEvery.toMillis();
                inject(fault);
                synchronized (faults) {
                    faults.add(fault);
                }
                System.out.printf("  fault %d/%d: %s killed, back after %.1f s, ready after %.1f s%n", faults.size(),
                        schedule.size(), fault.target, (fault.restartedAt - fault.killedAt) / 1000.0,
                        (fault.readyAt - fault.killedAt) / 1000.0);
                // at least FAULT_EVERY between kills, and never less than 5 s of calm after one is back,
                // so each recovery is measured on its own
                Thread.sleep(Math.max(next - System.currentTimeMillis(), 5000));
            }
        } catch (Exception e) {
            anomaly("fault injection failed", null, e.toString());
        }
    }

    private void inject(Fault fault) throws Exception {
        switch (fault.target) {
            case "kafka" -> {
                fault.killedAt = System.currentTimeMillis();
                kafka.kill();
                Thread.sleep(downFor.toMillis());
                fault.restartedAt = System.currentTimeMillis();
                kafka = LocalKafka.start(kafkaPort, controllerPort, kafkaDir);
                fault.readyAt = System.currentTimeMillis();
            }
            case "postgresql" -> {
                fault.killedAt = System.currentTimeMillis();
                postgres.crash();
                Thread.sleep(downFor.toMillis());
                fault.restartedAt = System.currentTimeMillis();
                postgres.startAgain();
                fault.readyAt = System.currentTimeMillis();
            }
            default -> {
                Replica replica = replicas.values().stream().flatMap(List::stream)
                        .filter(r -> r.name().equals(fault.target)).findFirst().orElseThrow();
                fault.killedAt = System.currentTimeMillis();
                replica.kill();
                Thread.sleep(downFor.toMillis());
                fault.restartedAt = System.currentTimeMillis();
                replica.start();
                replica.awaitReady(Duration.ofMinutes(3));
                fault.readyAt = System.currentTimeMillis();
            }
        }
    }

    // ---- one order's life, as its resident and its worker live it --------------------------------

    private void playOrder(Played p, Random rnd) {
        String resident = "r-chaos-" + run + "-" + (p.n % 500);
        Worker worker = workers.get(rnd.nextInt(workers.size()));
        String service = worker.skills().get(0);
        double lat;
        double lon;
        if (p.plan == Plan.NOBODY_NEARBY) {
            lat = 29.05 + rnd.nextDouble() * 0.05; // south of Qijiang, far from every worker
            lon = 106.20 + rnd.nextDouble() * 0.05;
        } else {
            lat = worker.lat() + (rnd.nextDouble() - 0.5) * 0.002; // within ~100 m of the worker's home
            lon = worker.lon() + (rnd.nextDouble() - 0.5) * 0.002;
        }
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusHours(1 + rnd.nextInt(3)); // within the 4 h lead: offered at once
        long price = Catalog.standard().services().stream().filter(s -> s.code().equals(service)).findFirst()
                .orElseThrow().guidePriceFen();
        PlatformClient.Reply posted = api.call("order-service", "POST", "/orders", "resident", resident, """
                        {"serviceCode":"%s","description":"chaos %d","location":{"lat":%s,"lon":%s,"address":"九龙坡区"},
                         "window":{"start":"%s","end":"%s"},"priceFen":%d}"""
                        .formatted(service, p.n, lat, lon, start, start.plusHours(2), price),
                Map.of("Idempotency-Key", "chaos-" + run + "-" + p.n));
        if (posted.status() != 201 && posted.status() != 200) {
            throw new IllegalStateException("post: " + posted.status() + " " + posted.text());
        }
        p.id = posted.body().get("id").asText();
        p.postedAt = System.currentTimeMillis();
        if (p.plan == Plan.NOBODY_NEARBY) {
            return;
        }
        if (p.plan == Plan.CANCEL_BEFORE_ASSIGNMENT) {
            PlatformClient.Reply c = api.post("order-service", "/orders/" + p.id + "/cancel", "resident", resident,
                    "{\"reason\":\"找到邻居帮忙了\"}");
            if (c.status() == 200 || "CANCELLED".equals(status(p.id))) {
                return;
            }
            p.note = "assigned before the cancellation; played on";
        }
        if (!accept(p, worker, rnd)) {
            return;
        }
        awaitStatus(p, Set.of("ASSIGNED"), Duration.ofSeconds(120));
        if (p.plan == Plan.CANCEL_AFTER_ASSIGNMENT) {
            transition(p, "/cancel", "resident", resident, "{\"reason\":\"计划有变\"}", Set.of("CANCELLED"));
            p.cancelledAfterAssignment = true;
            return;
        }
        String code = api.get("order-service", "/orders/" + p.id, "resident", resident).body().path("startCode").asText();
        transition(p, "/start", "worker", worker.id(), "{\"code\":\"" + code + "\"}",
                Set.of("IN_PROGRESS", "AWAITING_CONFIRMATION", "COMPLETED", "SETTLED"));
        transition(p, "/done", "worker", worker.id(), null, Set.of("AWAITING_CONFIRMATION", "COMPLETED", "SETTLED"));
        transition(p, "/confirm", "resident", resident, null, Set.of("COMPLETED", "SETTLED"));
        awaitStatus(p, Set.of("SETTLED"), Duration.ofSeconds(180));
        p.settledAt = System.currentTimeMillis();
    }

    /** The worker sees the offer on their list and accepts it; false when no offer came. */
    private boolean accept(Played p, Worker worker, Random rnd) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            JsonNode offers = api.get("matching-service", "/workers/" + worker.id() + "/offers?status=OFFERED", "worker",
                    worker.id()).body();
            for (JsonNode o : offers) {
                if (p.id.equals(o.path("orderId").asText())) {
                    SpreadClient.sleep(50 + rnd.nextInt(300));
                    PlatformClient.Reply r = api.post("matching-service", "/offers/" + o.path("offerId").asText() + "/accept",
                            "worker", worker.id(), null);
                    if (r.status() == 200 || accepted(worker, p.id)) {
                        return true; // (a retried accept whose first attempt won answers 409)
                    }
                    p.note = "offer taken, withdrawn or expired (" + r.status() + ")";
                    return false;
                }
            }
            SpreadClient.sleep(300);
        }
        p.note = "no offer reached the worker within 120 s";
        return false;
    }

    private void transition(Played p, String action, String role, String subject, String body, Set<String> done) {
        PlatformClient.Reply r = api.post("order-service", "/orders/" + p.id + action, role, subject, body);
        if (r.status() == 200) {
            return;
        }
        String s = status(p.id);
        if (r.status() == 409 && done.contains(s)) {
            return; // a retry of a request that had taken effect before its answer was lost
        }
        throw new IllegalStateException(action + " answered " + r.status() + " with the order " + s + ": " + r.text());
    }

    private String status(String orderId) {
        return api.get("order-service", "/orders/" + orderId, "admin", "chaos-admin").body().path("status").asText();
    }

    /** Whether matching holds this worker's offer of the order as accepted. */
    private boolean accepted(Worker worker, String orderId) {
        for (JsonNode o : api.get("matching-service", "/workers/" + worker.id() + "/offers?status=ACCEPTED", "worker",
                worker.id()).body()) {
            if (orderId.equals(o.path("orderId").asText())) {
                return true;
            }
        }
        return false;
    }

    private void awaitStatus(Played p, Set<String> wanted, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String s = null;
        while (Instant.now().isBefore(deadline)) {
            s = status(p.id);
            if (wanted.contains(s)) {
                return;
            }
            SpreadClient.sleep(300);
        }
        throw new IllegalStateException("order still " + s + " after " + timeout.toSeconds() + " s, waiting for " + wanted);
    }

    // ---- afterwards -------------------------------------------------------------------------------

    private static final Set<String> FINAL = Set.of("SETTLED", "CANCELLED", "UNMATCHED");

    /** Waits until every order is in a final state (or the timeout); returns each order's state. */
    private Map<String, String> drain(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> states = new ConcurrentHashMap<>();
        while (true) {
            for (Played p : played) {
                if (p.id != null && !FINAL.contains(states.getOrDefault(p.id, "unknown"))) {
                    states.put(p.id, status(p.id));
                }
            }
            boolean moving = states.values().stream().anyMatch(s -> !FINAL.contains(s));
            if (!moving || Instant.now().isAfter(deadline)) {
                return states;
            }
            SpreadClient.sleep(1000);
        }
    }

    record Check(String name, boolean passed, String detail) {
    }

    private List<Check> check(Map<String, String> states) throws Exception {
        List<Check> checks = new ArrayList<>();
        List<String> stuck = states.entrySet().stream().filter(e -> !FINAL.contains(e.getValue()))
                .map(e -> e.getKey() + " " + e.getValue()).sorted().toList();
        long notPosted = played.stream().filter(p -> p.id == null).count();
        checks.add(new Check("every order posted and in a final state", stuck.isEmpty() && notPosted == 0,
                stuck.isEmpty() && notPosted == 0 ? states.size() + " orders: SETTLED, CANCELLED or UNMATCHED"
                        : notPosted + " never posted; stuck: " + stuck.stream().limit(10).toList()));

        Set<String> settledOrders = states.entrySet().stream().filter(e -> e.getValue().equals("SETTLED"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        Set<String> compensable = played.stream().filter(p -> p.cancelledAfterAssignment && "CANCELLED".equals(states.get(p.id)))
                .map(p -> p.id).collect(Collectors.toSet());
        try (Connection db = DriverManager.getConnection(postgres.superuserJdbcUrl(LocalPostgres.DATABASE));
             Statement st = db.createStatement()) {
            List<String> duplicated = rows(st, """
                    SELECT order_id || ' ' || kind || ' x' || count(*) FROM settlement.settlement
                    GROUP BY order_id, kind HAVING count(*) > 1""");
            Set<String> withOrderSettlement = new HashSet<>(rows(st, "SELECT order_id FROM settlement.settlement WHERE kind = 'ORDER'"));
            Set<String> withCompensation = new HashSet<>(rows(st, "SELECT order_id FROM settlement.settlement WHERE kind = 'COMPENSATION'"));
            Set<String> missing = new HashSet<>(settledOrders);
            missing.removeAll(withOrderSettlement);
            Set<String> unexpected = new HashSet<>(withOrderSettlement);
            unexpected.removeAll(settledOrders);
            checks.add(new Check("exactly one settlement per completed order, none for the others",
                    duplicated.isEmpty() && missing.isEmpty() && unexpected.isEmpty(),
                    settledOrders.size() + " settled orders; duplicated " + duplicated + ", missing " + limit(missing)
                            + ", for orders not settled " + limit(unexpected)));
            Set<String> missingCompensation = new HashSet<>(compensable);
            missingCompensation.removeAll(withCompensation);
            Set<String> unexpectedCompensation = new HashSet<>(withCompensation);
            unexpectedCompensation.removeAll(compensable);
            checks.add(new Check("one compensation per order cancelled after assignment, none for the others",
                    missingCompensation.isEmpty() && unexpectedCompensation.isEmpty(),
                    compensable.size() + " compensated; missing " + limit(missingCompensation) + ", unexpected "
                            + limit(unexpectedCompensation)));
            List<String> twice = rows(st, """
                    SELECT order_id::text FROM matching.offer WHERE status = 'ACCEPTED' GROUP BY order_id HAVING count(*) > 1""");
            checks.add(new Check("no order's offer accepted twice", twice.isEmpty(), twice.isEmpty() ? "none" : limit(Set.copyOf(twice))));

            JsonNode ledgerCheck = api.get("settlement-service", "/ledger/check", "finance", "chaos-finance").body();
            JsonNode trial = api.get("settlement-service", "/ledger/trial-balance", "finance", "chaos-finance").body();
            checks.add(new Check("ledger balanced, balances equal to the journal",
                    ledgerCheck.path("consistent").asBoolean() && trial.path("balanced").asBoolean(),
                    "trial balance total " + trial.path("totalFen").asLong() + " fen; differences " + ledgerCheck.path("differences")));

            LocalDate today = LocalDate.now(SHANGHAI);
            JsonNode daily = api.get("settlement-service", "/reports/daily?date=" + today, "finance", "chaos-finance").body();
            long journalFees = -one(st, """
                    SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l JOIN settlement.journal_transaction t
                    ON t.id = l.transaction_id WHERE l.account_code = '4000'""");
            long journalTax = -one(st, """
                    SELECT coalesce(sum(l.amount_fen), 0) FROM settlement.journal_line l JOIN settlement.journal_transaction t
                    ON t.id = l.transaction_id WHERE l.account_code = '2200'""");
            boolean reportMatches = daily.path("orders").asLong() == withOrderSettlement.size()
                    && daily.path("compensations").asLong() == withCompensation.size()
                    && Math.abs(daily.path("serviceFeeFen").asLong()) == Math.abs(journalFees)
                    && Math.abs(daily.path("taxFen").asLong()) == Math.abs(journalTax)
                    && daily.path("identityHolds").asBoolean();
            checks.add(new Check("daily report equal to the journal", reportMatches,
                    "report: " + daily.path("orders") + " orders, " + daily.path("compensations") + " compensations, fees "
                            + daily.path("serviceFeeFen") + ", tax " + daily.path("taxFen") + "; journal: fees " + journalFees
                            + ", tax " + journalTax));

            // the charges of the day (a payout batch is left out). The payment sender sends each charge
            // after its settlement commits: the statement is fetched once none is waiting for an answer.
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (one(st, "SELECT count(*) FROM settlement.payment_instruction WHERE status = 'PENDING'") > 0
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                }
                String statement = api.get("settlement-service", "/channel/statement?date=" + today, "finance", "chaos-finance").text();
                // importing thousands of statement lines takes longer than the 30 s a request may take elsewhere
                JsonNode recon = api.call("settlement-service", "POST", "/reconciliations", "finance", "chaos-finance", statement,
                        Map.of(), Duration.ofMinutes(5)).body();
                int findings = recon.path("totals").path("findings").asInt(-1);
                checks.add(new Check("the day's channel statement reconciles with 0 findings", findings == 0,
                        recon.path("totals").path("matched") + " lines matched, " + findings + " findings"));
            } catch (RuntimeException e) {
                checks.add(new Check("the day's channel statement reconciles with 0 findings", false, e.getMessage()));
            }

            Instant deadline = Instant.now().plusSeconds(30);
            long backlog;
            do {
                backlog = one(st, "SELECT (SELECT count(*) FROM orders.outbox WHERE published_at IS NULL)"
                        + " + (SELECT count(*) FROM matching.outbox WHERE published_at IS NULL)"
                        + " + (SELECT count(*) FROM settlement.outbox WHERE published_at IS NULL)");
                if (backlog > 0) {
                    Thread.sleep(500);
                }
            } while (backlog > 0 && Instant.now().isBefore(deadline));
            checks.add(new Check("outbox backlog 0", backlog == 0, backlog + " events not yet published"));
        }
        DeadLetters deadLetters = new DeadLetters(cn.jiujinbang.devinfra.KafkaAccess.client(kafka.bootstrapServers(), cn.jiujinbang.devinfra.KafkaAccess.ADMIN));
        Map<String, Integer> dead = new TreeMap<>();
        for (String topic : DeadLetters.TOPICS) {
            dead.put(topic, deadLetters.pending(topic).size());
        }
        checks.add(new Check("dead letters 0", dead.values().stream().allMatch(n -> n == 0), dead.toString()));
        checks.add(new Check("no driver anomalies (a request given up after 2 minutes, an unexpected answer)",
                anomalies.isEmpty(), anomalies.isEmpty() ? "none" : anomalies + " e.g. " + anomalyExamples.stream().limit(5).toList()));
        return checks;
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String limit(Set<String> ids) {
        return ids.isEmpty() ? "none" : ids.size() + " " + ids.stream().sorted().limit(5).toList();
    }

    private String report(Instant started, Duration load, Map<String, String> states, List<Check> checks) {
        StringBuilder out = new StringBuilder();
        boolean passed = checks.stream().allMatch(Check::passed);
        out.append("# make chaos — ").append(passed ? "PASSED" : "FAILED").append(" (seed ").append(seed).append(")\n\n");
        out.append(String.format("%d orders, %d workers, %d concurrent residents; two replicas of each service. "
                        + "Load took %d s, the whole run %d s. Requests retried on another replica or later: %d.%n%n",
                played.size(), workerCount, parallel, load.toSeconds(), Duration.between(started, Instant.now()).toSeconds(),
                api.retries.get()));
        out.append("## Checks\n| check | result | detail |\n|---|---|---|\n");
        for (Check c : checks) {
            out.append("| ").append(c.name()).append(" | ").append(c.passed() ? "ok" : "**FAILED**").append(" | ")
                    .append(c.detail().replace("|", "/")).append(" |\n");
        }
        Map<String, Integer> byState = new TreeMap<>();
        states.values().forEach(s -> byState.merge(s, 1, Integer::sum));
        Map<String, Integer> byPlan = new TreeMap<>();
        played.forEach(p -> byPlan.merge(p.plan.name(), 1, Integer::sum));
        out.append("\n## Orders\nplanned: ").append(byPlan).append("; final states: ").append(byState).append("\n");
        long noted = played.stream().filter(p -> p.note != null).count();
        if (noted > 0) {
            Map<String, Integer> notes = new TreeMap<>();
            played.stream().filter(p -> p.note != null).forEach(p -> notes.merge(p.note.replaceAll("\\(.*\\)", "").strip(), 1, Integer::sum));
            out.append("driver notes: ").append(notes).append("\n");
        }
        out.append("\n## Recovery after each fault\n");
        out.append("Recovery: from the kill until the first order posted after the kill was SETTLED (a whole life: post, offer, accept, start, done, confirm, settle).\n\n");
        out.append("| # | killed | back (restart) | ready | recovery | slowest life posted within 10 s of the kill |\n|---|---|---|---|---|---|\n");
        List<Long> recoveries = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            long first = played.stream().filter(p -> p.settledAt > 0 && p.postedAt >= f.killedAt)
                    .mapToLong(p -> p.settledAt).min().orElse(0);
            long slowest = played.stream().filter(p -> p.settledAt > 0 && p.postedAt >= f.killedAt && p.postedAt < f.killedAt + 10_000)
                    .mapToLong(p -> p.settledAt - p.postedAt).max().orElse(0);
            long recovery = first == 0 ? -1 : first - f.killedAt;
            recoveries.add(recovery);
            out.append(String.format("| %d | %s | %.1f s | %.1f s | %s | %s |%n", i + 1, f.target,
                    (f.restartedAt - f.killedAt) / 1000.0, (f.readyAt - f.killedAt) / 1000.0,
                    recovery < 0 ? "none settled" : String.format("%.1f s", recovery / 1000.0),
                    slowest == 0 ? "-" : String.format("%.1f s", slowest / 1000.0)));
        }
        long worst = recoveries.stream().mapToLong(Long::longValue).max().orElse(0);
        out.append(String.format("%nWorst recovery: %.1f s.%n", worst / 1000.0));
        out.append("\nLogs of every replica: target/chaos/logs/.\n");
        return out.toString();
    }

    private void anomaly(String kind, Played p, String detail) {
        anomalies.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        anomalyExamples.add((p == null ? "" : "order " + p.n + " (" + p.plan + ", " + p.id + "): ") + detail);
    }

    /**
     * A seed of its own for order n: SplitMix64's finaliser, because java.util.Random's first
     * draw from neighbouring seeds is nearly the same number (every order got the same plan).
     */
    static long mix(long seed, long n) {
        long z = seed + (n + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double[] around(Random random, double km) {
        double r = km * Math.sqrt(random.nextDouble());
        double a = random.nextDouble() * 2 * Math.PI;
        return new double[]{CENTER_LAT + r * Math.cos(a) / 111.32,
                CENTER_LON + r * Math.sin(a) / (111.32 * Math.cos(Math.toRadians(CENTER_LAT)))};
    }
}
