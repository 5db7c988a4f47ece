package cn.jiujinbang.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses requests beyond what the service can answer in time, at once, instead of queueing them
 * until they time out: a person's click gets an answer within a second or is told to retry.
 * <p>
 * At most {@code gig.http.max-concurrent-requests} API requests are in progress at a time; one more
 * is answered 503 problem+json with {@code Retry-After}. Push streams are long-lived and idle
 * almost all the time, so they are limited by their own count ({@code gig.http.max-streams}), and
 * {@code /q/*} (health, metrics) is never refused: an orchestrator must still see the service.
 * When the load drops, the counts drop with it: nothing to reset.
 */
@ApplicationScoped
public class OverloadGuard {

    private final int maxRequests;
    private final int maxStreams;
    private final int retryAfterSeconds;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final Counter refused;
    private final String busyBody;

    public OverloadGuard(MeterRegistry metrics, ObjectMapper json,
                         @ConfigProperty(name = "gig.http.max-concurrent-requests", defaultValue = "256") int maxRequests,
                         @ConfigProperty(name = "gig.http.max-streams", defaultValue = "10000") int maxStreams,
                         @ConfigProperty(name = "gig.http.retry-after-seconds", defaultValue = "1") int retryAfterSeconds)
            throws JsonProcessingException {
        this.maxRequests = maxRequests;
        this.maxStreams = maxStreams;
        this.retryAfterSeconds = retryAfterSeconds;
        metrics.gauge("gig.http.requests.in.progress", requests);
        metrics.gauge("gig.http.streams.open", streams);
        this.refused = metrics.counter("gig.http.refused");
        this.busyBody = json.writeValueAsString(new Problem("about:blank", "Service busy", 503,
                "Too many requests at once; retry after " + retryAfterSeconds + " s", null, List.of()));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(this::admit);
    }

    private void admit(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path.startsWith("/q/")) {
            rc.next();
            return;
        }
        boolean stream = path.endsWith("/stream");
        AtomicInteger count = stream ? streams : requests;
        int limit = stream ? maxStreams : maxRequests;
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            refused.increment();
            rc.response().setStatusCode(503)
                    .putHeader("Retry-After", Integer.toString(retryAfterSeconds))
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(busyBody);
            return;
        }
        rc.addEndHandler(ignored -> count.decrementAndGet());
        rc.next();
    }
}
