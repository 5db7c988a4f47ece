package cn.jiujinbang.platform.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connections of the service's own database role that never go back to the pool: for a session
 * that must outlive one request (LISTEN, a session-level advisory lock that marks the leader).
 * Closing such a connection ends its session, and with it whatever the session held.
 */
@ApplicationScoped
public class DedicatedConnections {

    private final Vertx vertx;
    private final PgConnectOptions options;

    public DedicatedConnections(Vertx vertx,
                                @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                                @ConfigProperty(name = "quarkus.datasource.username") String user,
                                @ConfigProperty(name = "quarkus.datasource.password") String password,
                                @ConfigProperty(name = "quarkus.application.name") String application) {
        this.vertx = vertx;
        this.options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url)
                .setUser(user).setPassword(password);
        this.options.addProperty("application_name", application);
    }

    public Future<PgConnection> open() {
        return PgConnection.connect(vertx, options);
    }
}
