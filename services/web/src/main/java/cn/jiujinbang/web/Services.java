package cn.jiujinbang.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The three services' public APIs, called with the signed-in person's token. A service that does not
 * answer is a 503 answer, shown to the person as "try again", never a broken page.
 */
@ApplicationScoped
public class Services {

    public enum Service { ORDERS, MATCHING, SETTLEMENT }

    private final Map<Service, String> urls;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    public Services(ObjectMapper json,
                    @ConfigProperty(name = "gig.web.orders-url") String orders,
                    @ConfigProperty(name = "gig.web.matching-url") String matching,
                    @ConfigProperty(name = "gig.web.settlement-url") String settlement) {
        this.json = json;
        this.urls = Map.of(Service.ORDERS, orders, Service.MATCHING, matching, Service.SETTLEMENT, settlement);
    }

    public Answer get(Service service, String path, String token) {
        return send(request(service, path, token).GET().build());
    }

    public Answer getText(Service service, String path, String token, String accept) {
        return send(request(service, path, token).header("Accept", accept).GET().build());
    }

    public Answer post(Service service, String path, String token, Object body) {
        return post(service, path, token, body, Map.of());
    }

    public Answer post(Service service, String path, String token, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(service, path, token).header("Content-Type", "application/json");
        headers.forEach(request::header);
        try {
            return send(request.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Answer put(Service service, String path, String token, Object body) {
        try {
            return send(request(service, path, token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Answer postCsv(Service service, String path, String token, byte[] csv) {
        return send(request(service, path, token).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build());
    }

    /** A push stream of the service, as it arrives (the caller closes it). */
    public InputStream stream(Service service, String path, String token, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(service) + path))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("stream " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private HttpRequest.Builder request(Service service, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urls.get(service) + path)).timeout(Duration.ofSeconds(30));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401 && request.headers().firstValue("Authorization").isPresent()) {
                throw new SignInAgain(); // the session's token expired or was revoked
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = null;
            if (type.contains("json") && !response.body().isBlank()) {
                body = json.readTree(response.body());
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            return new Answer(503, null, "the service did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, null, "interrupted");
        }
    }
}
