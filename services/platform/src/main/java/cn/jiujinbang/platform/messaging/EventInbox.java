package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import cn.jiujinbang.platform.tracing.EventTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.pgclient.PgException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Records come one at a time ({@link #deliver}) or, where events come in bursts, a poll at a time
 * in one transaction ({@link #deliverBatch}). Metrics: {@code gig_consumer_retrying} (events
 * waiting for an outage to end) and {@code gig_consumer_dead_lettered_total}.
 */
@ApplicationScoped
public class EventInbox {

    private static final Logger LOG = Logger.getLogger(EventInbox.class);
    /** One line per applied event (INFO); {@code quarkus.log.category."gig.events".level=WARN} silences it. */
    private static final Logger EVENTS = Logger.getLogger("gig.events");

    private final ObjectMapper json;
    private final AtomicInteger retrying = new AtomicInteger();
    private final Counter deadLettered;
    private final MeterRegistry metrics;

    private final EventTraces traces;
    private final boolean tracing;

    public EventInbox(ObjectMapper json, MeterRegistry metrics, EventTraces traces,
                      @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingOff) {
        this.json = json;
        this.metrics = metrics;
        this.traces = traces;
        this.tracing = !tracingOff;
        metrics.gauge("gig_consumer_retrying", retrying);
        this.deadLettered = Counter.builder("gig_consumer_dead_lettered_total")
                .description("events moved to the dead-letter topic because they can never be processed")
                .register(metrics);
    }

    public Uni<Void> deliver(Message<String> message, Map<String, EventHandler> handlers) {
        return deliver(message, EventBatchHandler.oneByOne(handlers));
    }

    /** One record: its effect once, or the dead-letter topic when it can never take effect. */
    private Uni<Void> deliver(Message<String> message, EventBatchHandler handler) {
        Read read = read(message, handler);
        if (read.poison() != null) {
            return toDeadLetterTopic(message, read.poison());
        }
        if (read.event() == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        return once(List.of(read.event()), handler, onThisContext())
                .chain(failure -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : deadLetter(message, read.event(), failure));
    }

    /**
     * A batch of records (the connector's batch mode): the effects of all of them in one
     * transaction with one inbox statement, so a burst costs a few round trips instead of a few per
     * event. Unreadable records are dead-lettered one by one and the rest go on. When the batch
     * fails for something an event contains, it is replayed one event per transaction so that only
     * that event is dead-lettered. Acknowledged (offsets committed) only after everything in it took
     * effect or was dead-lettered; a crash before that redelivers the batch, and the inbox drops
     * what had already committed.
     */
    public Uni<Void> deliverBatch(KafkaRecordBatch<?, String> batch, EventBatchHandler handler) {
        List<IncomingEvent> events = new ArrayList<>();
        Map<String, Message<String>> records = new HashMap<>();
        Uni<Void> poisonSent = Uni.createFrom().voidItem();
        for (KafkaRecord<?, String> record : batch.getRecords()) {
            Message<String> message = record;
            Read read = read(message, handler);
            if (read.poison() != null) {
                poisonSent = poisonSent.chain(() -> toDeadLetterTopic(message, read.poison()));
            } else if (read.event() != null && records.putIfAbsent(read.event().id(), message) == null) {
                events.add(read.event()); // a second copy of an event in one batch (a relay retry) is dropped here
            }
        }
        Executor context = onThisContext();
        Uni<Void> effects = events.isEmpty() ? Uni.createFrom().voidItem() : once(events, handler, context).chain(failure -> {
            if (failure == null) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("a batch of %d events failed for its contents (%s); replaying it one event at a time",
                    events.size(), failure.getMessage());
            Uni<Void> each = Uni.createFrom().voidItem();
            for (IncomingEvent event : events) {
                each = each.chain(() -> once(List.of(event), handler, context)
                        .chain(f -> f == null ? Uni.createFrom().voidItem() : deadLetter(records.get(event.id()), event, f)));
            }
            return each;
        });
        return poisonSent.chain(() -> effects).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * Applies the events' effects in one transaction, retrying for as long as the failure is an
     * outage. Completes with null when done, or with the failure when it can never succeed.
     */
    private Uni<Throwable> once(List<IncomingEvent> events, EventBatchHandler handler, Executor context) {
        AtomicBoolean counted = new AtomicBoolean();
        Map<IncomingEvent, Span> spans = tracing ? consumerSpans(events) : Map.of();
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> recordFirstDeliveries(events)
                        .call(first -> first.isEmpty() ? Uni.createFrom().voidItem()
                                : rememberTraces(first, spans).chain(() -> handler.handle(first)))))
                .invoke(first -> applied(first, spans))
                .replaceWithVoid()
                .runSubscriptionOn(context)
                .onFailure(failure -> !canNeverSucceed(failure))
                .invoke(failure -> {
                    if (counted.compareAndSet(false, true)) {
                        retrying.addAndGet(events.size());
                    }
                    LOG.warnf("%s failed, retrying: %s", describe(events), failure.toString());
                })
                .onFailure(failure -> !canNeverSucceed(failure))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .onItemOrFailure().transform((ignored, failure) -> {
                    if (counted.get()) {
                        retrying.addAndGet(-events.size());
                    }
                    spans.values().forEach(span -> {
                        if (failure != null) {
                            span.recordException(failure);
                            span.setStatus(StatusCode.ERROR, "not applied: " + failure.getMessage());
                        }
                        span.end();
                    });
                    return failure;
                });
    }

    /** A CONSUMER span per event, child of the PRODUCER span that published it (none for an event without a trace). */
    private Map<IncomingEvent, Span> consumerSpans(List<IncomingEvent> events) {
        Map<IncomingEvent, Span> spans = new java.util.IdentityHashMap<>();
        for (IncomingEvent event : events) {
            Span span = traces.start(event.type() + " process", SpanKind.CONSUMER, event.traceparent(), event.topic(),
                    event.id(), event.key());
            if (span.getSpanContext().isValid()) {
                spans.put(event, span);
            }
        }
        return spans;
    }

    /**
     * Each order's trace context in this service becomes the span applying its event, in the
     * effect's own transaction: what the handler writes to the outbox continues it, and so does a
     * later action on the order (EventTraces). One row per order, the last event of a batch winning.
     */
    private Uni<Void> rememberTraces(List<IncomingEvent> applied, Map<IncomingEvent, Span> spans) {
        Map<String, String> byOrder = new java.util.TreeMap<>(); // in key order: concurrent batches lock rows alike
        for (IncomingEvent event : applied) {
            Span span = spans.get(event);
            if (span != null && event.key() != null) {
                byOrder.put(event.key(), EventTraces.traceparent(span.getSpanContext()));
            }
        }
        if (byOrder.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO trace_context (event_key, traceparent, updated_at)
                        SELECT t.k, t.tp, now() FROM unnest(CAST(:keys AS text[]), CAST(:tps AS text[])) AS t(k, tp)
                        ON CONFLICT (event_key) DO UPDATE SET traceparent = EXCLUDED.traceparent, updated_at = EXCLUDED.updated_at""")
                .setParameter("keys", byOrder.keySet().toArray(String[]::new))
                .setParameter("tps", byOrder.values().toArray(String[]::new))
                .executeUpdate()).replaceWithVoid();
    }

    /**
     * After the commit: the hop each event made, and one log line per event naming its order and
     * trace (so {@code grep <trace id>} over every service's log follows an order).
     */
    private void applied(List<IncomingEvent> first, Map<IncomingEvent, Span> spans) {
        measureHops(first);
        for (IncomingEvent event : first) {
            Span span = spans.get(event);
            Object traceBefore = MDC.get("traceId");
            Object spanBefore = MDC.get("spanId");
            MDC.put("orderId", event.key() == null ? "" : event.key());
            if (span != null) {
                MDC.put("traceId", span.getSpanContext().getTraceId());
                MDC.put("spanId", span.getSpanContext().getSpanId());
            }
            if (span != null) {
                EVENTS.infof("applied %s %s for order %s (trace %s)", event.type(), event.id(), event.key(),
                        span.getSpanContext().getTraceId());
            } else {
                EVENTS.infof("applied %s %s for order %s", event.type(), event.id(), event.key());
            }
            MDC.remove("orderId");
            restore("traceId", traceBefore);
            restore("spanId", spanBefore);
        }
    }

    private static void restore(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /**
     * The hop each event made: from its time (the transaction that caused it, in another service) to
     * its effect here, per event type (each type has one topic): gig_event_hop_seconds.
     */
    private void measureHops(List<IncomingEvent> handled) {
        long now = System.currentTimeMillis();
        for (IncomingEvent event : handled) {
            Timer.builder("gig.event.hop")
                    .description("from an event's time in the service that published it to its effect in this one")
                    .tag("type", event.type())
                    .serviceLevelObjectives(HOP_BUCKETS)
                    .register(metrics)
                    .record(Math.max(0, now - event.time().toInstant().toEpochMilli()), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private static final Duration[] HOP_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private Uni<Void> deadLetter(Message<String> message, IncomingEvent event, Throwable failure) {
        LOG.warnf("dead-lettering event %s (%s): %s", event.id(), event.type(), failure.getMessage());
        deadLettered.increment();
        return toDeadLetterTopic(message, failure);
    }

    /**
     * Nacks the record, which the channel's failure strategy sends to the dead-letter topic. Should
     * that send fail (the broker is down), it is tried again until it succeeds: a failure here would
     * otherwise fail the whole delivery, and the connector would dead-letter every record of a batch.
     */
    private static Uni<Void> toDeadLetterTopic(Message<String> message, Throwable reason) {
        return Uni.createFrom().completionStage(() -> message.nack(reason))
                .onFailure().invoke(failure -> LOG.warnf("the dead-letter topic refused a record, retrying: %s", failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely();
    }

    private static Executor onThisContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    private static String describe(List<IncomingEvent> events) {
        return events.size() == 1 ? "event " + events.get(0).id() + " (" + events.get(0).type() + ")"
                : "a batch of " + events.size() + " events";
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

    /** Inserts the events' ids into the inbox; returns the events whose ids were not there yet. */
    private Uni<List<IncomingEvent>> recordFirstDeliveries(List<IncomingEvent> events) {
        String[] ids = events.stream().map(IncomingEvent::id).toArray(String[]::new);
        String[] types = events.stream().map(IncomingEvent::type).toArray(String[]::new);
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO inbox (event_id, event_type)
                        SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:types AS text[]))
                        ON CONFLICT (event_id) DO NOTHING RETURNING event_id""", String.class)
                        .setParameter("ids", ids)
                        .setParameter("types", types)
                        .getResultList())
                .map(inserted -> {
                    Set<String> first = new HashSet<>(inserted);
                    return events.stream().filter(e -> first.contains(e.id())).toList();
                });
    }

    /** A record read: the event to apply, or the reason it is poison, or neither (not for this service). */
    private record Read(IncomingEvent event, PoisonEventException poison) {
    }

    private Read read(Message<String> message, EventBatchHandler handler) {
        IncomingEvent event;
        try {
            event = parse(message);
        } catch (PoisonEventException e) {
            LOG.warnf("dead-lettering a record: %s", e.getMessage());
            deadLettered.increment();
            return new Read(null, e);
        }
        if (handler.handles(event.type())) {
            return new Read(event, null);
        }
        if (EventTypes.isKnown(event.type())) {
            return new Read(null, null); // a known event this service does not need
        }
        deadLettered.increment();
        return new Read(null, new PoisonEventException("unknown event type " + event.type() + " (" + event.id() + ")"));
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
        return new IncomingEvent(id, type, source, time, key == null ? null : key.toString(), data, json,
                metadata.getTopic(), CloudEventHeaders.readTrace(headers));
    }

    private static String required(Headers headers, String name) {
        String value = CloudEventHeaders.read(headers, name);
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("missing CloudEvents header " + name);
        }
        return value;
    }
}
