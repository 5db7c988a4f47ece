package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import cn.jiujinbang.platform.tracing.EventTraces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes an event into the service's outbox table inside the caller's current transaction, so the
 * state change and the event that announces it commit together or not at all.
 * {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper json;
    private final Clock clock;
    private final boolean tracing;

    public Outbox(ObjectMapper json, Clock clock,
                  @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean tracingOff) {
        this.json = json;
        this.clock = clock;
        this.tracing = !tracingOff;
    }

    /** An event to publish: its topic, key (the order id), CloudEvents type and data record. */
    public record Event(String topic, String key, String type, Object data) {
    }

    /** Must be called inside {@code Panache.withTransaction} (or {@code @WithTransaction}). */
    public Uni<UUID> add(String topic, String key, String type, Object data) {
        return addAll(List.of(new Event(topic, key, type, data))).map(ids -> ids.get(0));
    }

    /**
     * Writes the events in one statement, in the given order (the relay publishes them in that
     * order); returns their event ids. Must be called inside a transaction.
     */
    public Uni<List<UUID>> addAll(List<Event> events) {
        int n = events.size();
        String[] eventIds = new String[n];
        String[] topics = new String[n];
        String[] keys = new String[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            try {
                payloads[i] = json.writeValueAsString(e.data());
            } catch (JsonProcessingException ex) {
                return Uni.createFrom().failure(new IllegalArgumentException("event " + e.type() + " cannot be serialized", ex));
            }
            UUID id = UUID.randomUUID();
            ids.add(id);
            eventIds[i] = id.toString();
            topics[i] = e.topic();
            keys[i] = e.key();
            types[i] = e.type();
        }
        if (n == 0) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> {
                    var insert = session.createNativeQuery(tracing ? TRACED_INSERT : INSERT)
                            .setParameter("ids", eventIds)
                            .setParameter("topics", topics)
                            .setParameter("keys", keys)
                            .setParameter("types", types)
                            .setParameter("occurredAt", OffsetDateTime.now(clock))
                            .setParameter("payloads", payloads);
                    if (tracing) {
                        String current = EventTraces.current();
                        insert.setParameter("current", current == null ? "" : current);
                    }
                    return insert.executeUpdate();
                })
                .replaceWith(List.copyOf(ids));
    }

    private static final String INSERT = """
            INSERT INTO outbox (event_id, topic, event_key, event_type, occurred_at, payload)
            SELECT CAST(e.id AS uuid), e.topic, e.event_key, e.event_type, :occurredAt, e.payload
            FROM unnest(CAST(:ids AS text[]), CAST(:topics AS text[]), CAST(:keys AS text[]),
                        CAST(:types AS text[]), CAST(:payloads AS text[]))
                 WITH ORDINALITY AS e(id, topic, event_key, event_type, payload, n)
            ORDER BY e.n""";

    /**
     * The same insert, each row with the trace it continues (EventTraces): the order's latest trace
     * context in this service (the event being applied, or an earlier hop) or else the current span
     * (the HTTP request that creates the order), which is then remembered as the order's.
     */
    private static final String TRACED_INSERT = """
            WITH e AS (
                SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:topics AS text[]), CAST(:keys AS text[]),
                                     CAST(:types AS text[]), CAST(:payloads AS text[]))
                     WITH ORDINALITY AS e(id, topic, event_key, event_type, payload, n)),
            remembered AS (
                INSERT INTO trace_context (event_key, traceparent)
                SELECT DISTINCT e.event_key, NULLIF(CAST(:current AS text), '') FROM e
                WHERE NULLIF(CAST(:current AS text), '') IS NOT NULL
                ON CONFLICT (event_key) DO NOTHING)
            INSERT INTO outbox (event_id, topic, event_key, event_type, occurred_at, payload, traceparent)
            SELECT CAST(e.id AS uuid), e.topic, e.event_key, e.event_type, :occurredAt, e.payload,
                   coalesce((SELECT t.traceparent FROM trace_context t WHERE t.event_key = e.event_key),
                            NULLIF(CAST(:current AS text), ''))
            FROM e ORDER BY e.n""";
}
