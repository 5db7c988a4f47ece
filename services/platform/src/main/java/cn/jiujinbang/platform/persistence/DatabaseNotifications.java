package cn.jiujinbang.platform.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} for one service, on one dedicated connection.
 * <p>
 * A trigger's {@code pg_notify} is delivered when its transaction commits, to every session that
 * listens, this process's own included: it is the post-commit signal that wakes the outbox relay
 * and the push streams within a millisecond, on whichever replica they run. Notifications are a
 * hint, never the data: a listener re-reads the tables when told, and is told "something may have
 * changed" ({@code null} payload) after every (re)connect, since notifications sent while the
 * connection was down are gone. The connection comes back by itself with back-off.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private static final Logger LOG = Logger.getLogger(DatabaseNotifications.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Vertx vertx;
    private final DedicatedConnections connections;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private volatile PgConnection connection;
    private volatile boolean connecting;
    private volatile boolean stopped;
    private long backoffMs = 100;

    public DatabaseNotifications(Vertx vertx, DedicatedConnections connections) {
        this.vertx = vertx;
        this.connections = connections;
    }

    /**
     * Calls {@code listener} with the payload of every notification on {@code channel}, and with
     * {@code null} whenever the connection was (re)established. Called on a Vert.x event loop: a
     * listener must hand slow work to its own thread.
     */
    public void listen(String channel, Consumer<String> listener) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        boolean first = listeners.putIfAbsent(channel, new CopyOnWriteArrayList<>()) == null;
        listeners.get(channel).add(listener);
        PgConnection current = connection;
        if (current != null && first) {
            current.query("LISTEN " + channel).execute()
                    .onFailure(e -> LOG.warnf("LISTEN %s failed: %s", channel, e.getMessage()));
        }
        if (current == null) {
            connect();
        }
    }

    private synchronized void connect() {
        if (connecting || stopped || connection != null) {
            return;
        }
        connecting = true;
        connections.open().onComplete(result -> {
            if (result.failed()) {
                connecting = false;
                retryLater(result.cause());
                return;
            }
            PgConnection conn = result.result();
            conn.notificationHandler(n -> deliver(n.getChannel(), n.getPayload()));
            conn.closeHandler(ignored -> {
                connection = null;
                if (!stopped) {
                    retryLater(new IllegalStateException("listening connection closed"));
                }
            });
            List<String> channels = List.copyOf(listeners.keySet());
            String statements = String.join("; ", channels.stream().map(c -> "LISTEN " + c).toList());
            (statements.isEmpty() ? io.vertx.core.Future.succeededFuture() : conn.query(statements).execute())
                    .onComplete(listened -> {
                        connecting = false;
                        if (listened.failed()) {
                            conn.close();
                            retryLater(listened.cause());
                            return;
                        }
                        backoffMs = 100;
                        connection = conn;
                        // a channel registered while this connection was being set up
                        listeners.keySet().stream().filter(c -> !channels.contains(c))
                                .forEach(c -> conn.query("LISTEN " + c).execute()
                                        .onFailure(e -> LOG.warnf("LISTEN %s failed: %s", c, e.getMessage())));
                        LOG.debugf("listening on %s", listeners.keySet());
                        listeners.keySet().forEach(channel -> deliver(channel, null));
                    });
        });
    }

    private void retryLater(Throwable cause) {
        if (stopped) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        LOG.warnf("database notifications unavailable, retrying in %d ms: %s", delay, cause.getMessage());
        vertx.setTimer(delay, ignored -> connect());
    }

    private void deliver(String channel, String payload) {
        for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
            try {
                listener.accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf(e, "a listener of %s failed", channel);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        PgConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }
}
