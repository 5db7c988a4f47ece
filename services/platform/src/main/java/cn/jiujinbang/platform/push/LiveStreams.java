package cn.jiujinbang.platform.push;

import cn.jiujinbang.platform.persistence.DatabaseNotifications;
import cn.jiujinbang.platform.problem.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Server-Sent Event streams of database changes, correct whichever replica holds the connection.
 * <p>
 * The database is the source of the events: a trigger numbers each change (a transition id, an
 * offer's change number) and notifies a channel with the key it concerns (an order id, a worker id)
 * when its transaction commits. Every replica listens ({@link DatabaseNotifications}); the one that
 * holds a stream for that key reads the changes after the last it sent and pushes them, each with
 * its number as the SSE {@code id}. A client that reconnects with {@code Last-Event-ID} gets every
 * change after it, so nothing is lost. Delivery is at least once: a change may come again with the
 * same id (after a reconnect, or when a source reads with an overlap), and clients drop repeats by id.
 */
@ApplicationScoped
public class LiveStreams {

    private static final Logger LOG = Logger.getLogger(LiveStreams.class);
    /** How many recently sent ids a stream remembers to drop repeats of. */
    private static final int REMEMBERED = 512;

    /** One change as a stream sends it: its number, and the body of the event. */
    public record Change(long id, Object data) {
    }

    /**
     * What one read found: the changes to send in increasing id order, and the position the stream
     * has then reached (the highest change number of the key so far, even when nothing is sent).
     */
    public record Changes(List<Change> changes, long position) {

        /** Changes read as {@code items}: each numbered by {@code id}, sent as {@code view} of it. */
        public static <T> Changes of(List<T> items, ToLongFunction<T> id, Function<T, ?> view, long position) {
            return new Changes(items.stream().map(item -> new Change(id.applyAsLong(item), view.apply(item))).toList(), position);
        }
    }

    /**
     * The changes of one key after {@code after}; {@code after} is {@link #SNAPSHOT} for a new stream,
     * and then the read returns what a client needs to start (e.g. the current state).
     */
    @FunctionalInterface
    public interface ChangeSource {
        Uni<Changes> changesAfter(String key, long after);
    }

    public static final long SNAPSHOT = -1;

    private final DatabaseNotifications notifications;
    private final Duration heartbeat;
    private final Map<String, Map<String, Set<Stream>>> streams = new ConcurrentHashMap<>();
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();

    public LiveStreams(DatabaseNotifications notifications, MeterRegistry metrics,
                       @ConfigProperty(name = "gig.push.heartbeat", defaultValue = "15s") Duration heartbeat) {
        this.notifications = notifications;
        this.heartbeat = heartbeat;
        metrics.gauge("gig.push.streams", open);
        metrics.gauge("gig.push.keys", streams, all -> all.values().stream().mapToInt(Map::size).sum());
    }

    /**
     * The stream of {@code key}'s changes on {@code channel}, starting after {@code after}: what
     * {@link #lastEventId} made of the client's {@code Last-Event-ID}.
     */
    public Multi<OutboundSseEvent> open(String channel, String key, long after, String eventName,
                                        ChangeSource source, Sse sse) {
        if (listening.add(channel)) {
            notifications.listen(channel, payload -> changed(channel, payload));
        }
        Multi<OutboundSseEvent> changes = Multi.createFrom().emitter(emitter -> {
            Stream stream = new Stream(key, after, source, emitter, event -> sse.newEventBuilder()
                    .id(Long.toString(event.id())).name(eventName)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(event.data()).build());
            Map<String, Set<Stream>> byKey = streams.computeIfAbsent(channel, c -> new ConcurrentHashMap<>());
            byKey.compute(key, (k, set) -> {
                Set<Stream> forKey = set == null ? ConcurrentHashMap.newKeySet() : set;
                forKey.add(stream);
                return forKey;
            });
            open.incrementAndGet();
            emitter.onTermination(() -> {
                // the key goes with its last stream, or every order ever streamed would stay in the map
                byKey.computeIfPresent(key, (k, set) -> {
                    set.remove(stream);
                    return set.isEmpty() ? null : set;
                });
                open.decrementAndGet();
            });
            stream.catchUp();
        });
        // a comment now and then keeps proxies from closing an idle stream and finds dead clients
        Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(heartbeat)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(changes, heartbeats);
    }

    private void changed(String channel, String key) {
        Map<String, Set<Stream>> byKey = streams.get(channel);
        if (byKey == null) {
            return;
        }
        if (key == null) { // the listening connection came back: anything may have changed
            byKey.values().forEach(set -> set.forEach(Stream::catchUp));
            return;
        }
        Set<Stream> set = byKey.get(key);
        if (set != null) {
            set.forEach(Stream::catchUp);
        }
    }

    /**
     * Where a stream starts: after the event the client names in its {@code Last-Event-ID} header,
     * or {@link #SNAPSHOT} for a new stream (no header); 400 for an id no stream sends.
     */
    public static long lastEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return SNAPSHOT;
        }
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("Last-Event-ID", "must be the id of an event this stream sent (a whole number)");
        }
    }

    /** One client connection: sends each change once, in order, one read at a time. */
    private static final class Stream {
        private final String key;
        private final ChangeSource source;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final Function<Change, OutboundSseEvent> toEvent;
        private final LinkedHashSet<Long> sent = new LinkedHashSet<>();
        private long after;
        private boolean reading;
        private boolean again;

        Stream(String key, long after, ChangeSource source, MultiEmitter<? super OutboundSseEvent> emitter,
               Function<Change, OutboundSseEvent> toEvent) {
            this.key = key;
            this.after = after;
            this.source = source;
            this.emitter = emitter;
            this.toEvent = toEvent;
        }

        void catchUp() {
            long from;
            synchronized (this) {
                if (reading) {
                    again = true;
                    return;
                }
                reading = true;
                again = false;
                from = after;
            }
            source.changesAfter(key, from).subscribe().with(this::send, failure -> {
                LOG.warnf("stream of %s: reading changes failed, the client will reconnect: %s", key, failure.toString());
                emitter.fail(failure);
            });
        }

        private void send(Changes read) {
            for (Change change : read.changes()) {
                if (emitter.isCancelled()) {
                    return;
                }
                if (sent.add(change.id())) {
                    if (sent.size() > REMEMBERED) {
                        sent.remove(sent.iterator().next());
                    }
                    emitter.emit(toEvent.apply(change));
                }
            }
            boolean more;
            synchronized (this) {
                after = Math.max(Math.max(after, read.position()), 0);
                for (Change change : read.changes()) {
                    after = Math.max(after, change.id());
                }
                reading = false;
                more = again;
            }
            if (more) {
                catchUp();
            }
        }
    }
}
