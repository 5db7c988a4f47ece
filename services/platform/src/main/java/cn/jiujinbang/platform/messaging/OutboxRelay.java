package cn.jiujinbang.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes outbox rows to Kafka in id order and marks them published, in one database
 * transaction per batch. A crash after the send and before the commit republishes the batch:
 * a duplicate, never a loss; consumers drop duplicates through their inbox.
 * <p>
 * Several replicas may run: a transaction-scoped advisory lock lets one relay work at a time, which
 * also keeps each order's events in the order they were written. The producer is idempotent, so
 * its own retries never duplicate a record.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final KafkaProducer<String, String> producer;
    private final String source;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();

    public OutboxRelay(Pool pool, MeterRegistry metrics,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "quarkus.application.name") String serviceName) {
        this.pool = pool;
        this.source = "/gig/" + serviceName;
        // a growing backlog or age means events are not reaching Kafka (docs/runbook.md)
        metrics.gauge("gig.outbox.backlog", backlog);
        metrics.gauge("gig.outbox.oldest.age.seconds", oldestAgeSeconds);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, serviceName + "-outbox-relay",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer());
    }

    @Scheduled(every = "${gig.outbox.relay-interval:0.1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        try {
            while (relayBatch() == BATCH) {
                // a full batch: more may be waiting
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay will retry: %s", e.getMessage());
        }
    }

    /** Publishes at most one batch; returns how many rows were published. */
    int relayBatch() {
        SqlConnection connection = pool.getConnection().await().atMost(DB_TIMEOUT);
        Transaction tx = null;
        try {
            tx = connection.begin().await().atMost(DB_TIMEOUT);
            Row lock = connection.query("SELECT pg_try_advisory_xact_lock(hashtext('gig.outbox.relay'))")
                    .execute().await().atMost(DB_TIMEOUT).iterator().next();
            if (!lock.getBoolean(0)) {
                tx.rollback().await().atMost(DB_TIMEOUT);
                return 0;
            }
            List<Row> rows = new ArrayList<>();
            connection.preparedQuery("""
                            SELECT id, event_id, topic, event_key, event_type, occurred_at, payload
                            FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1""")
                    .execute(Tuple.of(BATCH)).await().atMost(DB_TIMEOUT).forEach(rows::add);
            if (rows.isEmpty()) {
                tx.rollback().await().atMost(DB_TIMEOUT);
                return 0;
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
            Long[] ids = new Long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                ids[i] = row.getLong("id");
                sends.add(producer.send(record(row)));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
            connection.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
                    .execute(Tuple.of(ids)).await().atMost(DB_TIMEOUT);
            tx.commit().await().atMost(DB_TIMEOUT);
            tx = null;
            return rows.size();
        } catch (Exception e) {
            if (tx != null) {
                try {
                    tx.rollback().await().atMost(DB_TIMEOUT);
                } catch (RuntimeException ignored) {
                    // the connection is closed below; the database rolls back on its own
                }
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        } finally {
            connection.close().await().atMost(DB_TIMEOUT);
        }
    }

    private ProducerRecord<String, String> record(Row row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"), row.getString("event_key"),
                row.getString("payload"));
        OffsetDateTime occurredAt = row.getOffsetDateTime("occurred_at");
        CloudEventHeaders.write(record.headers(), row.getUUID("event_id").toString(), row.getString("event_type"),
                source, occurredAt);
        return record;
    }

    @Scheduled(every = "10s", delayed = "5s")
    void measureBacklog() {
        Row row = pool.query("""
                        SELECT count(*), coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::bigint
                        FROM outbox WHERE published_at IS NULL""")
                .execute().await().atMost(DB_TIMEOUT).iterator().next();
        backlog.set(row.getLong(0));
        oldestAgeSeconds.set(row.getLong(1));
    }

    /** Published rows are kept a week for investigation, then removed. */
    @Scheduled(every = "1h", delayed = "1m")
    void prunePublished() {
        pool.query("DELETE FROM outbox WHERE published_at < now() - interval '7 days'")
                .execute().await().atMost(DB_TIMEOUT);
    }

    void onStop(@Observes ShutdownEvent event) {
        producer.close(Duration.ofSeconds(5));
    }
}
