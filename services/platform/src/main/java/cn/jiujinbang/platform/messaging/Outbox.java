package cn.jiujinbang.platform.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.OffsetDateTime;
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

    public Outbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Must be called inside {@code Panache.withTransaction} (or {@code @WithTransaction}). */
    public Uni<UUID> add(String topic, String key, String type, Object data) {
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("event " + type + " cannot be serialized", e));
        }
        UUID eventId = UUID.randomUUID();
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                        INSERT INTO outbox (event_id, topic, event_key, event_type, occurred_at, payload)
                        VALUES (:eventId, :topic, :key, :type, :occurredAt, :payload)""")
                        .setParameter("eventId", eventId)
                        .setParameter("topic", topic)
                        .setParameter("key", key)
                        .setParameter("type", type)
                        .setParameter("occurredAt", OffsetDateTime.now(clock))
                        .setParameter("payload", payload)
                        .executeUpdate())
                .replaceWith(eventId);
    }
}
