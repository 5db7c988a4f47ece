package cn.jiujinbang.web;

import cn.jiujinbang.web.Services.Service;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The services' push streams, passed on to the page (a browser's EventSource cannot send the
 * person's token; the app can). Each change is one event, "changed"; the page then fetches its
 * fresh content. A page open on a stream holds one thread here while it listens.
 */
@Path("/live")
@ApplicationScoped
public class LivePush {

    private static final Logger LOG = Logger.getLogger(LivePush.class);

    private final Services services;
    private final Session session;
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "live-push");
        t.setDaemon(true);
        return t;
    });

    public LivePush(Services services, Session session) {
        this.services = services;
        this.session = session;
    }

    @GET
    @Path("orders/{id}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> order(@PathParam("id") String id) {
        return relay(Service.ORDERS, "/orders/" + ResidentPages.safe(id) + "/stream", session.token());
    }

    @GET
    @Path("offers")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> offers() {
        String worker = session.subject();
        return relay(Service.MATCHING, "/workers/" + ResidentPages.safe(worker) + "/offers/stream", session.token());
    }

    private Multi<String> relay(Service service, String path, String token) {
        if (token == null) {
            return Multi.createFrom().empty();
        }
        return Multi.createFrom().emitter(emitter -> {
            InputStream[] open = new InputStream[1];
            emitter.onTermination(() -> close(open[0]));
            readers.execute(() -> {
                try (InputStream in = services.stream(service, path, token, null)) {
                    open[0] = in;
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    String line;
                    while (!emitter.isCancelled() && (line = lines.readLine()) != null) {
                        if (line.startsWith("data:")) {
                            emitter.emit("changed");
                        }
                    }
                    emitter.complete();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    if (!emitter.isCancelled()) {
                        LOG.debugf("push stream %s ended: %s", path, e.toString());
                        emitter.complete(); // the page's EventSource reconnects by itself
                    }
                }
            });
        });
    }

    private static void close(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }
}
