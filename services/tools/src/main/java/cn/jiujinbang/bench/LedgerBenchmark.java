package cn.jiujinbang.bench;

import cn.jiujinbang.devinfra.KafkaAccess;

import cn.jiujinbang.demo.PlatformClient;
import cn.jiujinbang.platform.events.OrderCompleted;
import cn.jiujinbang.platform.messaging.CloudEventHeaders;
import cn.jiujinbang.platform.messaging.EventTypes;
import cn.jiujinbang.platform.messaging.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The ledger under a burst (make bench-ledger): N {@code gig.order.completed.v1} events for W
 * workers, published straight to {@code gig.orders} as order-service's relay would publish them
 * (same key, CloudEvents headers and JSON; the broker has no credentials yet, issue 13), on a
 * running platform. A warm-up burst first (WARMUP, 20,000 events, not counted: freshly started JVMs
 * spend most of their CPU compiling for about that long, and a platform that has run for a while has
 * long done so). Measures settlements per second until all
 * N are booked (sustained, and the best 2 s), journal lines per second, latency event → booked
 * (completedAt is the moment of publishing; settled_at the booking's), CPU per settlement of each
 * process until every consumer group has caught up, and checks the books: each order settled once,
 * the journal balanced, {@code /ledger/check} consistent. In the same run, pgbench on the same
 * PostgreSQL. Report: argument 1 (target/bench/ledger-report.md).
 */
public final class LedgerBenchmark {

    private static final List<String> CONSUMER_GROUPS = List.of("settlement-service", "matching-service", "order-service");

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final PlatformClient api;

    private LedgerBenchmark(PlatformClient api) {
        this.api = api;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(Machine.env("N", "50000"));
        int w = Integer.parseInt(Machine.env("W", "5000"));
        int warmup = Integer.parseInt(Machine.env("WARMUP", "20000"));
        Path report = Path.of(args.length > 0 ? args[0] : "target/bench/ledger-report.md");
        PlatformClient api = Machine.runningPlatform();
        new LedgerBenchmark(api).run(n, w, warmup, report);
        System.exit(0);
    }

    /** What one burst did. */
    private record Burst(String resident, int events, long publishMs, double seconds, double bestTwoSeconds,
                         double p50Ms, double p99Ms, double maxMs, long journalLines, int workers, String timeline) {

        double perSecond() {
            return events / seconds;
        }
    }

    private void run(int n, int w, int warmup, Path report) throws Exception {
        System.out.printf("bench-ledger %s: warm-up %d events, then %d events for %d workers%n", run, warmup, n, w);
        if (warmup > 0) {
            Burst warm = burst("lr-" + run + "-warmup", warmup, Math.min(w, warmup));
            System.out.printf("warm-up: %.0f settlements/s%n", warm.perSecond());
            awaitConsumersCaughtUp();
        }
        resetStatementStatistics();
        Map<String, long[]> cpuBefore = Machine.cpuSeconds();
        long commitsBefore = databaseCommits();
        Burst burst = burst("lr-" + run, n, w);
        long burstEnded = System.nanoTime();
        awaitConsumersCaughtUp();
        double chargesSentAfter = awaitChargesAnswered(burstEnded);
        Map<String, long[]> cpuAfter = Machine.cpuSeconds();
        long commits = databaseCommits() - commitsBefore;
        List<String> busiest = busiestStatements();
        System.out.printf("%d settled in %.1f s: %.0f /s%n", n, burst.seconds(), burst.perSecond());
        Books books = books(burst.resident(), n);
        System.out.println("measuring pgbench on the same PostgreSQL...");
        Machine.Ceiling pgbench = !"off".equals(Machine.env("CEILINGS", "on")) ? Machine.pgbench()
                : new Machine.Ceiling("pgbench", 0, "not measured (CEILINGS=off)");
        write(report, burst, books, cpuBefore, cpuAfter, commits, busiest, pgbench, chargesSentAfter);
        System.out.println("report: " + report);
    }

    /**
     * Waits until the payment sender has the channel's answer to every charge of the burst; returns
     * the seconds after the last settlement was booked (the sender works through them meanwhile).
     */
    private double awaitChargesAnswered(long burstEnded) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        // every instruction the sender still owes an answer (the partial index payment_instruction_due: cheap)
        while (count("SELECT count(*) FROM settlement.payment_instruction WHERE status = 'PENDING'", null) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the charges were not all answered within 10 minutes");
            }
            Thread.sleep(200);
        }
        return (System.nanoTime() - burstEnded) / 1e9;
    }

    /** Publishes the events, then waits until each is booked; returns the figures from the database. */
    private Burst burst(String resident, int events, int workers) throws Exception {
        Random random = new Random(resident.hashCode());
        // the burst's settlements come after this one (seq is indexed; resident_id is not, and a scan of
        // the whole table four times a second would be the benchmark measuring itself)
        long fromSeq = count("SELECT coalesce(max(seq), 0) FROM settlement.settlement", null);
        // the orders are made before the clock starts, so that the clock measures the platform
        List<OrderCompleted> orders = new ArrayList<>(events);
        OffsetDateTime made = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < events; i++) {
            long price = 3_000 + random.nextInt(60) * 500L; // 30 to 325 yuan, like the catalogue's guide prices
            orders.add(new OrderCompleted(UUID.randomUUID().toString(), resident, "lw-" + run + "-" + random.nextInt(workers),
                    "DAILY_CLEANING", "HOME", price, price * 8 / 100, false, made));
        }
        long start = System.nanoTime();
        long[] publishedAt = {0};
        Thread publisher = new Thread(() -> {
            Map<String, Object> config = KafkaAccess.fromEnvironment();
            config.putAll(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "bench-ledger",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                for (OrderCompleted o : orders) {
                    // completedAt and ce_time say when the event was published: latency = settled_at − completedAt
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ORDERS, o.orderId(),
                            json.writeValueAsString(new OrderCompleted(o.orderId(), o.residentId(), o.workerId(),
                                    o.serviceCode(), o.categoryCode(), o.priceFen(), o.serviceFeeFen(), false, now)));
                    CloudEventHeaders.write(record.headers(), UUID.randomUUID().toString(), EventTypes.ORDER_COMPLETED,
                            "/gig/order-service", now);
                    producer.send(record);
                }
                producer.flush();
            } catch (Exception e) {
                throw new IllegalStateException("publishing the burst", e);
            }
            publishedAt[0] = System.nanoTime();
        }, "bench-ledger-publisher");
        publisher.start();
        // booked: poll the count, keeping the timeline for the best two seconds
        List<long[]> timeline = new ArrayList<>(); // nanoTime, count
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        long booked = 0;
        while (booked < events && System.nanoTime() < deadline) {
            Thread.sleep(250);
            booked = count("SELECT count(*) FROM settlement.settlement WHERE seq > " + fromSeq + " AND resident_id = ?", resident);
            timeline.add(new long[]{System.nanoTime(), booked});
        }
        if (booked < events) {
            throw new IllegalStateException("only " + booked + " of " + events + " settled within 15 minutes");
        }
        publisher.join();
        long publishMs = (publishedAt[0] - start) / 1_000_000;
        StringBuilder rates = new StringBuilder(); // settlements per second, each 2 s since publishing began
        long[] mark = {start, 0};
        for (long[] t : timeline) {
            if (t[0] - mark[0] >= 2_000_000_000L) {
                rates.append(rates.isEmpty() ? "" : " ").append(Math.round((t[1] - mark[1]) / ((t[0] - mark[0]) / 1e9)));
                mark = t;
            }
        }
        System.out.println("settlements/s every 2 s: " + rates);
        double best = 0;
        for (long[] a : timeline) {
            for (long[] b : timeline) {
                double seconds = (b[0] - a[0]) / 1e9;
                if (seconds >= 2 && seconds < 2.3) {
                    best = Math.max(best, (b[1] - a[1]) / seconds);
                }
            }
        }
        try (Connection db = superuser(); PreparedStatement st = db.prepareStatement("""
                SELECT extract(epoch FROM max(settled_at) - min(earned_at)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - earned_at) * 1000),
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - earned_at) * 1000),
                       max(extract(epoch FROM settled_at - earned_at) * 1000),
                       (SELECT count(*) FROM settlement.journal_line l JOIN settlement.settlement s2
                          ON s2.journal_transaction_id = l.transaction_id WHERE s2.seq > %d AND s2.resident_id = ?)
                FROM settlement.settlement WHERE seq > %d AND resident_id = ?""".formatted(fromSeq, fromSeq))) {
            st.setString(1, resident);
            st.setString(2, resident);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Burst(resident, events, publishMs, rs.getDouble(1), best, rs.getDouble(2), rs.getDouble(3),
                        rs.getDouble(4), rs.getLong(5), workers, rates.toString());
            }
        }
    }

    /** Waits until every consumer group has read everything on the event topics (the other services caught up). */
    private void awaitConsumersCaughtUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Admin admin = Admin.create(KafkaAccess.fromEnvironment())) {
            while (System.nanoTime() < deadline) {
                long lag = 0;
                for (String group : CONSUMER_GROUPS) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    for (var e : committed.entrySet()) {
                        if (e.getValue() != null) {
                            lag += ends.get(e.getKey()).offset() - e.getValue().offset();
                        }
                    }
                }
                if (lag == 0 && count("SELECT count(*) FROM settlement.outbox WHERE published_at IS NULL AND parked_at IS NULL", null) == 0) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the consumers did not catch up within 10 minutes");
    }

    /** What the books say after the burst. */
    private record Books(long settledOnce, long journalSum, boolean ledgerCheck, boolean trialBalanced, long outboxLeft) {
    }

    private Books books(String resident, int events) throws Exception {
        long distinct = count("SELECT count(DISTINCT order_id) FROM settlement.settlement WHERE resident_id = ?", resident);
        long transactions = count("""
                SELECT count(*) FROM settlement.journal_transaction t JOIN settlement.settlement s ON s.order_id = t.order_id
                WHERE s.resident_id = ?""", resident);
        long journalSum = count("SELECT coalesce(sum(amount_fen), 0) FROM settlement.journal_line", null);
        JsonNode check = api.get(api.settlement + "/ledger/check", "finance", "bench-finance").body();
        JsonNode trial = api.get(api.settlement + "/ledger/trial-balance", "finance", "bench-finance").body();
        long outbox = count("SELECT count(*) FROM settlement.outbox WHERE published_at IS NULL", null);
        return new Books(distinct == events && transactions == events ? events : -1, journalSum,
                check.path("consistent").asBoolean(), trial.path("balanced").asBoolean(), outbox);
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection db = superuser(); PreparedStatement st = db.prepareStatement(sql)) {
            if (parameter != null) {
                st.setString(1, parameter);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** pg_stat_statements (make run's PostgreSQL loads it); nothing when the database does not have it. */
    private static void resetStatementStatistics() {
        try (Connection db = superuser(); ResultSet ignored = db.createStatement().executeQuery("SELECT pg_stat_statements_reset()")) {
            // reset
        } catch (Exception absent) {
            // an external database without the extension: the report says so
        }
    }

    /** The statements that took the database's time during the burst, busiest first. */
    private static List<String> busiestStatements() {
        List<String> rows = new ArrayList<>();
        try (Connection db = superuser(); ResultSet rs = db.createStatement().executeQuery("""
                SELECT round(total_exec_time), calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100)
                FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                ORDER BY total_exec_time DESC LIMIT 10""")) {
            while (rs.next()) {
                rows.add("| %,d | %,d | %,d | `%s` |".formatted(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4).replace("|", "/")));
            }
        } catch (Exception absent) {
            rows.add("| – | – | – | pg_stat_statements is not loaded in this database |");
        }
        return rows;
    }

    private static long databaseCommits() throws Exception {
        try (Connection db = superuser(); ResultSet rs = db.createStatement().executeQuery(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection superuser() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + Machine.env("GIG_DB_PORT", "15432") + "/gig?user=postgres");
    }

    private void write(Path report, Burst b, Books books, Map<String, long[]> cpuBefore, Map<String, long[]> cpuAfter,
                       long commits, List<String> busiest, Machine.Ceiling pgbench, double chargesSentAfter) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Ledger benchmark: a burst of completed orders settled\n\n");
        md.append("Run `").append(run).append("` at ").append(OffsetDateTime.now(ZoneOffset.UTC)).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(Machine.machineMemory())
                .append(". N = %,d `gig.order.completed.v1` events for W = %,d workers, published to `gig.orders` in %,d ms (after a warm-up burst not counted).%n%n"
                        .formatted(b.events(), b.workers(), b.publishMs()));
        md.append("| figure | value |\n|---|---|\n");
        md.append("| settlements booked, first event published → last booked | %,d in %.1f s = **%,.0f /s** sustained |%n"
                .formatted(b.events(), b.seconds(), b.perSecond()));
        md.append("| best 2 s | %,.0f settlements/s |%n".formatted(b.bestTwoSeconds()));
        md.append("| settlements/s in each 2 s from the first event published | %s |%n".formatted(b.timeline()));
        md.append("| journal lines | %,d = %,.0f lines/s |%n".formatted(b.journalLines(), b.journalLines() / b.seconds()));
        md.append("| event → booked | p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms |%n".formatted(b.p50Ms(), b.p99Ms(), b.maxMs()));
        md.append("| PostgreSQL commits in the platform database (whole burst, all services) | %,d |%n".formatted(commits));
        md.append("| each order settled once, one journal transaction each | %s |%n".formatted(books.settledOnce() == b.events() ? "yes" : "**NO**"));
        md.append("| journal sums to zero / trial balance balanced / `/ledger/check` consistent | %s / %s / %s |%n".formatted(
                books.journalSum() == 0 ? "yes" : "**NO (" + books.journalSum() + ")**", books.trialBalanced() ? "yes" : "**NO**",
                books.ledgerCheck() ? "yes" : "**NO**"));
        md.append("| settlement outbox rows left unpublished | %d |%n".formatted(books.outboxLeft()));
        md.append("| every charge answered by the (simulated) channel, after the last settlement | %.1f s (payment sender: %,.0f charges/s over burst and drain) |%n%n"
                .formatted(chargesSentAfter, b.events() / (b.seconds() + chargesSentAfter)));
        md.append("## CPU per settlement (until every consumer group caught up)\n\n| process | CPU s | CPU ms per settlement |\n|---|---|---|\n");
        double total = 0;
        Map<String, Double> used = new LinkedHashMap<>();
        for (var e : cpuAfter.entrySet()) {
            long[] before = cpuBefore.get(e.getKey());
            if (before != null) {
                double seconds = (e.getValue()[0] - before[0]) / 100.0;
                used.put(e.getKey(), seconds);
                total += seconds;
            }
        }
        for (var e : used.entrySet()) {
            md.append("| %s | %.1f | %.3f |%n".formatted(e.getKey(), e.getValue(), e.getValue() * 1000 / b.events()));
        }
        md.append("| **all** | %.1f | %.3f |%n%n".formatted(total, total * 1000 / b.events()));
        md.append("## PostgreSQL's busiest statements during the burst (pg_stat_statements)\n\n| ms | calls | rows | statement |\n|---|---|---|---|\n");
        busiest.forEach(row -> md.append(row).append('\n'));
        md.append('\n');
        md.append("## This machine's ceiling, measured in the same run\n\n| tool | per second | detail |\n|---|---|---|\n");
        md.append("| %s | %,.0f | %s |%n%n".formatted(pgbench.what(), pgbench.perSecond(), pgbench.detail().replace("|", "/")));
        if (pgbench.perSecond() > 0) {
            md.append("Settlements per second are **%.0f %%** of pgbench's TPS (a TPC-B transaction: 3 updates, 1 insert, 1 select).%n"
                    .formatted(100 * b.perSecond() / pgbench.perSecond()));
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString());
        System.out.print(md);
    }
}
