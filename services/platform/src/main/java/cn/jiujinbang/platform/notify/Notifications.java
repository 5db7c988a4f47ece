package cn.jiujinbang.platform.notify;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Notifications of this service: written with the change they tell about (same transaction, like an
 * outbox row), then sent through the {@link Notifier} port after the commit by a job that claims due
 * rows for a minute, calls the port outside any transaction on each channel the person's preference
 * names (the app by default; none: the kind is off), and stamps them sent. A failed call is tried again
 * on the next tick, at most 10 times; a crash between sending and stamping sends again (at least once).
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    static final int MAX_ATTEMPTS = 10;
    private static final Duration CLAIM = Duration.ofMinutes(1);

    private final Pool pool;
    private final Notifier notifier;
    private final Clock clock;

    public Notifications(Pool pool, Notifier notifier, Clock clock) {
        this.pool = pool;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** One notification to write: who, about what, and the words. */
    public record Notification(String personId, NotificationKind kind, String subject, String text) {
    }

    /** Must be called inside the transaction of the change it tells {@code personId} about. */
    public Uni<Void> add(String personId, NotificationKind kind, String subject, String text) {
        return addAll(List.of(new Notification(personId, kind, subject, text)));
    }

    /** Several at once (the workers of an offer round, the payouts of a batch): one statement, in the caller's transaction. */
    public Uni<Void> addAll(List<Notification> notifications) {
        if (notifications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                        INSERT INTO notification (person_id, kind, subject, text, created_at)
                        SELECT n.person, n.kind, n.subject, n.text, :at
                        FROM unnest(CAST(:persons AS text[]), CAST(:kinds AS text[]), CAST(:subjects AS text[]),
                                    CAST(:texts AS text[])) AS n(person, kind, subject, text)""")
                .setParameter("persons", notifications.stream().map(Notification::personId).toArray(String[]::new))
                .setParameter("kinds", notifications.stream().map(n -> n.kind().name()).toArray(String[]::new))
                .setParameter("subjects", notifications.stream().map(Notification::subject).toArray(String[]::new))
                .setParameter("texts", notifications.stream().map(Notification::text).toArray(String[]::new))
                .setParameter("at", OffsetDateTime.now(clock)).executeUpdate()).replaceWithVoid();
    }

    @Scheduled(every = "${gig.notifications.send-every:1s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sendDue() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Row> due = new ArrayList<>();
        pool.preparedQuery("""
                        UPDATE notification n SET claimed_until = $1, attempts = n.attempts + 1
                        FROM (SELECT id FROM notification
                              WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2) AND attempts < $3
                              ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED) d
                        WHERE n.id = d.id
                        RETURNING n.id, n.person_id, n.kind, n.subject, n.text,
                                  (SELECT p.channels FROM notification_preference p
                                   WHERE p.person_id = n.person_id AND p.kind = n.kind) AS channels""")
                .execute(Tuple.of(now.plus(CLAIM), now, MAX_ATTEMPTS)).await().atMost(Duration.ofSeconds(10))
                .forEach(due::add);
        List<Long> sent = new ArrayList<>();
        List<String> sentChannels = new ArrayList<>();
        for (Row r : due) {
            Set<NotificationKind.Channel> channels = channels(r.getString("channels"));
            Notifier.Message m = new Notifier.Message(r.getLong("id"), r.getString("person_id"),
                    NotificationKind.valueOf(r.getString("kind")), r.getString("subject"), r.getString("text"));
            try {
                for (NotificationKind.Channel channel : channels) {
                    notifier.send(m, channel);
                }
                sent.add(m.id());
                sentChannels.add(channels.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
            } catch (RuntimeException e) {
                LOG.warnf("notification %d to %s not delivered, tried again later: %s", m.id(), m.personId(), e.toString());
            }
        }
        if (!sent.isEmpty()) {
            pool.preparedQuery("""
                            UPDATE notification n SET sent_at = $1, channels = s.channels
                            FROM unnest($2::bigint[], $3::text[]) AS s(id, channels) WHERE n.id = s.id""")
                    .execute(Tuple.of(now, sent.toArray(Long[]::new), sentChannels.toArray(String[]::new)))
                    .await().atMost(Duration.ofSeconds(10));
        }
    }

    /** A stored preference ("APP_PUSH,SMS", "" for none) or, without one, the default. */
    static Set<NotificationKind.Channel> channels(String stored) {
        if (stored == null) {
            return NotificationKind.DEFAULT_CHANNELS;
        }
        Set<NotificationKind.Channel> channels = EnumSet.noneOf(NotificationKind.Channel.class);
        Arrays.stream(stored.split(",")).map(String::strip).filter(c -> !c.isEmpty())
                .forEach(c -> channels.add(NotificationKind.Channel.valueOf(c)));
        return channels;
    }
}
