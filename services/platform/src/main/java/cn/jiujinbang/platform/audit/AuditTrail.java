package cn.jiujinbang.platform.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import cn.jiujinbang.platform.persistence.NativeValues;
import jakarta.persistence.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Who did which finance or admin action, when, on what: each service's own {@code audit_entry} table
 * (its migration {@code V*__audit_trail.sql}: append-only, a trigger refuses UPDATE, DELETE and
 * TRUNCATE even to the owner), written in the action's own transaction, read by finance
 * ({@link AuditResource}), never changed.
 */
@ApplicationScoped
public class AuditTrail {

    /** An action worth a line in the trail; each service names its own (an enum, whose names its table's CHECK lists). */
    public interface Action {
        String name();
    }

    public record Entry(long id, OffsetDateTime at, String actor, String action, String subject, JsonNode details) {
    }

    private final ObjectMapper json;
    private final Clock clock;

    public AuditTrail(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Records the action now, in a transaction of its own: for reads, which have none. */
    public Uni<Void> recordNow(String actor, Action action, String subject, Map<String, Object> details) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(s -> record(s, OffsetDateTime.now(clock), actor, action, subject, details)));
    }

    /** Records the action in the session's current transaction. */
    public Uni<Void> record(Mutiny.Session s, OffsetDateTime at, String actor, Action action, String subject,
                            Map<String, Object> details) {
        String detailsJson;
        try {
            detailsJson = json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        // text first: a parameter typed jsonb would take the Java string as a JSON string, not as the object it spells
        return s.createNativeQuery("""
                        INSERT INTO audit_entry (at, actor, action, subject, details)
                        VALUES (:at, :actor, :action, :subject, CAST(CAST(:details AS text) AS jsonb))""")
                .setParameter("at", at).setParameter("actor", actor).setParameter("action", action.name())
                .setParameter("subject", subject).setParameter("details", detailsJson)
                .executeUpdate().replaceWithVoid();
    }

    /** The entries in [from, to), oldest first, a page of at most {@code size}. */
    public Uni<List<Entry>> between(OffsetDateTime from, OffsetDateTime to, int page, int size) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        SELECT id, at, actor, action, subject, CAST(details AS text) AS details FROM audit_entry
                        WHERE at >= :from AND at < :to ORDER BY at, id OFFSET :offset LIMIT :size""", Tuple.class)
                .setParameter("from", from).setParameter("to", to)
                .setParameter("offset", (long) page * size).setParameter("size", size)
                .getResultList())
                .map(rows -> rows.stream().map(r -> new Entry(r.get("id", Number.class).longValue(),
                        NativeValues.offsetDateTime(r.get("at")), r.get("actor", String.class),
                        r.get("action", String.class), r.get("subject", String.class),
                        read(r.get("details", String.class)))).toList());
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable audit details: " + text, e);
        }
    }
}
