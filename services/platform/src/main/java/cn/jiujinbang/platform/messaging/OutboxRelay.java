package cn.jiujinbang.platform.messaging;

import cn.jiujinbang.platform.persistence.DatabaseNotifications;
import cn.jiujinbang.platform.tracing.EventTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import cn.jiujinbang.platform.persistence.DedicatedConnections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.smallrye.common.annotation.Identifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the service's outbox rows to Kafka in id order, within milliseconds of their commit.
 * <ul>
 *   <li><b>Woken by the commit.</b> A statement trigger on the outbox sends a {@code pg_notify} that
 *       PostgreSQL delivers at commit to every listening replica of this service, this one included
 *       ({@link DatabaseNotifications}); a slow safety poll ({@code gig.outbox.safety-poll}) covers a
 *       lost notification. There is no fixed tick.</li>
 *   <li><b>One leader per service.</b> The relay that holds the service's session-level advisory lock
 *       (on a dedicated connection) publishes; other replicas stand by and take over when its session
 *       ends. One relay per service keeps each order's events in the order they were written, and no
 *       service's relay ever waits for another's: the lock key names the service's schema.</li>
 *   <li><b>No transaction across the broker.</b> Rows are read, sent and acknowledged, then stamped
 *       published, each statement on its own: a crash after the send and before the stamp republishes
 *       (a duplicate that the consumers' inbox drops), never a loss.</li>
 *   <li><b>Poison rows are parked.</b> A row the broker refuses for good (too large, invalid topic) is
 *       stamped {@code parked_at} with its reason, counted in {@code gig.outbox.parked}, and the rows
 *       after it still go out (docs/runbook.md says how to inspect and requeue it). Anything else
 *       (broker down, timeout) is retried with back-off.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final long DB_TIMEOUT_MS = 30_000;
    private static final long SEND_TIMEOUT_MS = 35_000;
    private static final long STANDBY_RETRY_MS = 500;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final DedicatedConnections connections;
    private final DatabaseNotifications notifications;
    private final Pool pool;
    private final KafkaProducer<String, String> producer;
    private final String source;
    private final String schema;
    private final long safetyPollMs;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final Counter published;
    private final Timer delay;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private volatile boolean leader;
    private PgConnection leaderConnection;
    private Thread worker;
    private final EventTraces traces;

    public OutboxRelay(DedicatedConnections connections, DatabaseNotifications notifications, Pool pool, MeterRegistry metrics,
                       @Identifier("default-kafka-broker") Map<String, Object> kafka,
                       @ConfigProperty(name = "quarkus.application.name") String serviceName,
                       @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
                       @ConfigProperty(name = "gig.outbox.safety-poll", defaultValue = "5s") Duration safetyPoll,
                       EventTraces traces) {
        this.traces = traces;
        this.connections = connections;
        this.notifications = notifications;
        this.pool = pool;
        this.source = "/gig/" + serviceName;
        this.schema = schema;
        this.safetyPollMs = safetyPoll.toMillis();
        // a growing backlog or age means events are not reaching Kafka; parked rows need a person (docs/runbook.md)
        metrics.gauge("gig.outbox.backlog", backlog);
        metrics.gauge("gig.outbox.oldest.age.seconds", oldestAgeSeconds);
        metrics.gauge("gig.outbox.parked", parked);
        this.published = metrics.counter("gig.outbox.published");
        this.delay = Timer.builder("gig.outbox.publish.delay")
                .description("from the event's time (its transaction) to the broker's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(metrics);
        // every kafka.* setting of the service (bootstrap servers, SASL login, TLS), then the relay's own
        Map<String, Object> config = new java.util.HashMap<>(kafka);
        config.putAll(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, serviceName + "-outbox-relay",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** The channel the outbox trigger notifies (db/platform/R__outbox_relay.sql). */
    public static String channel(String schema) {
        return "gig_outbox_" + schema;
    }

    void onStart(@Observes StartupEvent event) {
        notifications.listen(channel(schema), ignored -> wake());
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** Asks the relay to look for new rows now (cheap; called for every notification). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** True while this replica is the service's publishing relay. */
    public boolean isLeader() {
        return leader;
    }

    private void run() {
        long backoffMs = 100;
        while (!stopped) {
            try {
                if (!holdLeadership()) {
                    pause(STANDBY_RETRY_MS);
                    awaitWake(safetyPollMs);
                    continue;
                }
                int sent = relayBatch();
                backoffMs = 100;
                if (sent < BATCH) {
                    awaitWake(safetyPollMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (stopped) {
                    return;
                }
                LOG.warnf("outbox relay will retry in %d ms: %s", backoffMs, e.toString());
                resign();
                pause(backoffMs);
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
    }

    /** Becomes (or stays) the leader; false while another replica's relay is. */
    private boolean holdLeadership() throws Exception {
        if (leaderConnection != null) {
            return true;
        }
        PgConnection connection = await(connections.open());
        boolean locked;
        try {
            locked = await(connection.preparedQuery("SELECT pg_try_advisory_lock(hashtext($1))")
                    .execute(Tuple.of("gig.outbox.relay." + schema))).iterator().next().getBoolean(0);
        } catch (Exception e) {
            connection.close();
            throw e;
        }
        if (!locked) {
            connection.close();
            return false;
        }
        connection.closeHandler(ignored -> leader = false);
        leaderConnection = connection;
        leader = true;
        LOG.infof("this replica now relays the %s outbox", schema);
        return true;
    }

    private void resign() {
        leader = false;
        if (leaderConnection != null) {
            leaderConnection.close(); // ends the session: the advisory lock goes with it
            leaderConnection = null;
        }
    }

    /** Publishes at most one batch; returns how many rows it took from the outbox. */
    int relayBatch() throws Exception {
        List<Row> rows = new ArrayList<>(BATCH);
        await(leaderConnection.preparedQuery("""
                        SELECT id, event_id, topic, event_key, event_type, occurred_at, payload, traceparent
                        FROM outbox WHERE published_at IS NULL AND parked_at IS NULL ORDER BY id LIMIT $1""")
                .execute(Tuple.of(BATCH))).forEach(rows::add);
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>(rows.size());
        for (Row row : rows) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            // the hop's first span: from the send to the broker's acknowledgement, child of the writer's
            Span span = traces.start(row.getString("event_type") + " publish", SpanKind.PRODUCER, row.getString("traceparent"),
                    row.getString("topic"), row.getUUID("event_id").toString(), row.getString("event_key"));
            try {
                producer.send(record(row, span), (metadata, error) -> {
                    if (error == null) {
                        sent.complete(null);
                    } else {
                        span.recordException(error);
                        span.setStatus(StatusCode.ERROR, error.toString());
                        sent.completeExceptionally(error);
                    }
                    span.end();
                });
            } catch (RuntimeException e) {
                span.end();
                sent.completeExceptionally(e);
            }
            sends.add(sent);
        }
        List<Long> done = new ArrayList<>(rows.size());
        Exception retry = null;
        long now = System.currentTimeMillis();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            try {
                sends.get(i).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                done.add(row.getLong("id"));
                delay.record(Math.max(0, now - row.getOffsetDateTime("occurred_at").toInstant().toEpochMilli()),
                        TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (refusedForGood(e.getCause())) {
                    park(row, e.getCause());
                } else if (retry == null) {
                    retry = new IllegalStateException("the broker did not take event " + row.getUUID("event_id"), e.getCause());
                }
            }
        }
        if (!done.isEmpty()) {
            await(leaderConnection.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
                    .execute(Tuple.of(done.toArray(new Long[0]))));
            published.increment(done.size());
        }
        if (retry != null) {
            throw retry;
        }
        return rows.size();
    }

    /** Errors about the record itself: sending it again can never succeed. */
    private static boolean refusedForGood(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof InvalidRecordException
                || error instanceof SerializationException;
    }

    private void park(Row row, Throwable reason) throws Exception {
        LOG.errorf("parking outbox row %d (event %s, %s): the broker refused it for good: %s", row.getLong("id"),
                row.getUUID("event_id"), row.getString("event_type"), reason.toString());
        await(leaderConnection.preparedQuery("UPDATE outbox SET parked_at = now(), park_reason = $2 WHERE id = $1")
                .execute(Tuple.of(row.getLong("id"), reason.toString())));
        parked.incrementAndGet();
    }

    private ProducerRecord<String, String> record(Row row, Span span) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"), row.getString("event_key"),
                row.getString("payload"));
        OffsetDateTime occurredAt = row.getOffsetDateTime("occurred_at");
        CloudEventHeaders.write(record.headers(), row.getUUID("event_id").toString(), row.getString("event_type"),
                source, occurredAt);
        String traceparent = EventTraces.traceparent(span.getSpanContext());
        if (traceparent != null) {
            CloudEventHeaders.writeTrace(record.headers(), traceparent);
        }
        return record;
    }

    private void awaitWake(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (signal) {
            long left;
            while (!woken && !stopped && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            woken = false;
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(DB_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Scheduled(every = "10s", delayed = "5s",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void measureBacklog() {
        io.vertx.mutiny.sqlclient.Row row = pool.query("""
                        SELECT count(*) FILTER (WHERE parked_at IS NULL),
                               coalesce(extract(epoch FROM now() - min(occurred_at) FILTER (WHERE parked_at IS NULL)), 0)::bigint,
                               count(*) FILTER (WHERE parked_at IS NOT NULL)
                        FROM outbox WHERE published_at IS NULL""")
                .execute().await().atMost(Duration.ofMillis(DB_TIMEOUT_MS)).iterator().next();
        backlog.set(row.getLong(0));
        oldestAgeSeconds.set(row.getLong(1));
        parked.set(row.getLong(2));
    }

    /**
     * Published rows are kept a week for investigation, then removed; an order's trace context a
     * month after its last hop (an order's life, disputes included, is shorter).
     */
    @Scheduled(every = "1h", delayed = "1m",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void prunePublished() {
        pool.query("DELETE FROM outbox WHERE published_at < now() - interval '7 days'")
                .execute().await().atMost(Duration.ofMillis(DB_TIMEOUT_MS));
        pool.query("DELETE FROM trace_context WHERE updated_at < now() - interval '30 days'")
                .execute().await().atMost(Duration.ofMillis(DB_TIMEOUT_MS));
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        wake();
        if (worker != null) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        resign();
        producer.close(Duration.ofSeconds(5));
    }
}
