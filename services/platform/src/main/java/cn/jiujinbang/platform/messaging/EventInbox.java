package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.pgclient.PgException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers Kafka records to their handlers so that each event takes effect once:
 * <ul>
 *   <li>the event id is recorded in the inbox in the same transaction as the effect, so a
 *       redelivered event (rebalance, relay duplicate) changes nothing;</li>
 *   <li>a record that can never be processed is nacked at once and the channel's
 *       {@code dead-letter-queue} failure strategy moves it to the dead-letter topic; the consumer
 *       goes on with the next record. "Never" means: unreadable (bad JSON, missing CloudEvents
 *       headers, unknown type, data that does not fit its record or fails the record's own checks,
 *       see {@code EventFields}), or refused by the database for what it contains (a data
 *       exception, a NOT NULL or CHECK violation) — see {@link #canNeverSucceed};</li>
 *   <li>any other failure (database or broker down, lock timeout, serialization conflict) is
 *       retried with back-off for as long as it lasts; the record is never dropped and the
 *       consumer is never closed for it ({@code throttled.unprocessed-record-max-age.ms=0}).</li>
 * </ul>
 * Metrics: {@code gig_consumer_retrying} (events waiting for an outage to end) and
 * {@code gig_consumer_dead_lettered_total}.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);

    private final ObjectMapper json;
    private final AtomicInteger retrying = new AtomicInteger();
    private final Counter deadLettered;

    public EventInbox(ObjectMapper json, MeterRegistry metrics) {
        this.json = json;
        metrics.gauge("gig_consumer_retrying", retrying);
        this.deadLettered = Counter.builder("gig_consumer_dead_lettered_total")
                .description("events moved to the dead-letter topic because they can never be processed")
                .register(metrics);
    }

    public Uni<Void> deliver(Message<String> message, Map<String, EventHandler> handlers) {
        IncomingEvent event;
        try {
            event = parse(message);
        } catch (PoisonEventException e) {
            LOG.warnf("dead-lettering a record: %s", e.getMessage());
            deadLettered.increment();
            return Uni.createFrom().completionStage(message.nack(e));
        }
        EventHandler handler = handlers.get(event.type());
        if (handler == null) {
            if (EventTypes.isKnown(event.type())) {
                return Uni.createFrom().completionStage(message.ack()); // a known event this service does not need
            }
            deadLettered.increment();
            return Uni.createFrom().completionStage(message.nack(
                    new PoisonEventException("unknown event type " + event.type() + " (" + event.id() + ")")));
        }
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        boolean[] counted = {false};
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> recordFirstDelivery(event)
                        .chain(first -> first ? handler.handle(event) : Uni.createFrom().voidItem())))
                .runSubscriptionOn(onContext)
                .onFailure(failure -> !canNeverSucceed(failure))
                .invoke(failure -> {
                    if (!counted[0]) {
                        counted[0] = true;
                        retrying.incrementAndGet();
                    }
                    LOG.warnf("event %s (%s) failed, retrying: %s", event.id(), event.type(), failure.toString());
                })
                .onFailure(failure -> !canNeverSucceed(failure))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (counted[0]) {
                        retrying.decrementAndGet();
                    }
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    LOG.warnf("dead-lettering event %s (%s): %s", event.id(), event.type(), failure.getMessage());
                    deadLettered.increment();
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /**
     * Whether retrying cannot help: the event itself is at fault, not the database or the broker.
     * Poison found while reading; an {@link IllegalArgumentException} from a handler (a value that
     * does not fit, e.g. an id that is no UUID); and the database refusing the event's values:
     * SQLSTATE class 22 (data exception: out of range, invalid text) and 23502/23514 (NOT NULL,
     * CHECK). Everything else (connection refused, timeouts, deadlocks, serialization failures,
     * unique or foreign-key conflicts that another event may resolve) is worth retrying.
     */
    static boolean canNeverSucceed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonEventException || t instanceof IllegalArgumentException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("22") || state.equals("23502") || state.equals("23514");
            }
        }
        return false;
    }

    /** Inserts the event id into the inbox; false when it was there already. */
    private Uni<Boolean> recordFirstDelivery(IncomingEvent event) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO inbox (event_id, event_type) VALUES (:id, :type)
                        ON CONFLICT (event_id) DO NOTHING""")
                        .setParameter("id", event.id())
                        .setParameter("type", event.type())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    private IncomingEvent parse(Message<String> message) {
        IncomingKafkaRecordMetadata<?, ?> metadata = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new PoisonEventException("not a Kafka record"));
        Headers headers = metadata.getHeaders();
        String id = required(headers, CloudEventHeaders.ID);
        String type = required(headers, CloudEventHeaders.TYPE);
        String source = required(headers, CloudEventHeaders.SOURCE);
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(required(headers, CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            throw new PoisonEventException("ce_time is not an ISO-8601 time: " + e.getParsedString());
        }
        String payload = message.getPayload();
        if (payload == null || payload.isBlank()) {
            throw new PoisonEventException("event " + id + " (" + type + ") has no data");
        }
        JsonNode data;
        try {
            data = json.readTree(payload);
        } catch (Exception e) {
            throw new PoisonEventException("event " + id + " (" + type + ") is not valid JSON: " + e.getMessage(), e);
        }
        if (!data.isObject()) {
            throw new PoisonEventException("event " + id + " (" + type + ") data is not a JSON object");
        }
        Object key = metadata.getKey();
        return new IncomingEvent(id, type, source, time, key == null ? null : key.toString(), data, json);
    }

    private static String required(Headers headers, String name) {
        String value = CloudEventHeaders.read(headers, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("missing CloudEvents header " + name);
        }
        return value;
    }
}
