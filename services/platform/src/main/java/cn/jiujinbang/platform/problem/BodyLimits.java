package cn.jiujinbang.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The size of a request body, per route: JSON documents are small ({@code gig.http.max-json-body-bytes},
 * 1 MB), and only the routes named in {@code gig.http.large-body-routes} (e.g. {@code POST /reconciliations},
 * a channel's statement read as it arrives) may send up to {@code quarkus.http.limits.max-body-size}.
 * A declared length beyond the route's limit is answered 413 problem+json before a byte of the body is read.
 */
@ApplicationScoped
public class BodyLimits {

    private final long maxJsonBody;
    private final Set<String> largeBodyRoutes;
    private final String tooLargeBody;

    public BodyLimits(ObjectMapper json,
                      @ConfigProperty(name = "gig.http.max-json-body-bytes", defaultValue = "1048576") long maxJsonBody,
                      @ConfigProperty(name = "gig.http.large-body-routes") Optional<List<String>> largeBodyRoutes)
            throws JsonProcessingException {
        this.maxJsonBody = maxJsonBody;
        this.largeBodyRoutes = Set.copyOf(largeBodyRoutes.orElse(List.of()));
        this.tooLargeBody = json.writeValueAsString(new Problem("about:blank", "Request body too large", 413,
                "This request's body may hold at most " + maxJsonBody + " bytes", null, List.of()));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::check);
    }

    private void check(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !largeBodyRoutes.contains(method.name() + " " + rc.normalizedPath()) && declared(length) > maxJsonBody) {
            rc.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(tooLargeBody);
            return;
        }
        rc.next();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return 0; // not a length: the HTTP server refuses the request itself
        }
    }
}
