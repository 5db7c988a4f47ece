package cn.jiujinbang.demo;

import cn.jiujinbang.devinfra.DevTokens;
import cn.jiujinbang.devinfra.TestIdentities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The public HTTP API of a running platform, called as a given person with a development token. */
public final class PlatformClient {

    /** An answer; {@code retryAfterSeconds} is the Retry-After of a refused request, else 0. */
    public record Reply(int status, JsonNode body, String text, int retryAfterSeconds) {
    }

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    public final String orders;
    public final String matching;
    public final String settlement;

    public PlatformClient(String orders, String matching, String settlement) {
        this.orders = orders;
        this.matching = matching;
        this.settlement = settlement;
    }

    /** How long a request may take before the client gives up on it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Reply call(String method, String url, String role, String subject, String body, String contentType,
               Map<String, String> headers) {
        return call(method, url, role, subject, body, contentType, headers, DEFAULT_TIMEOUT);
    }

    public Reply call(String method, String url, String role, String subject, String body, String contentType,
               Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + tokens.computeIfAbsent(role + ":" + subject, k -> DevTokens.mint(role, subject)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String text = response.body();
            if (text != null && !text.isBlank() && (text.startsWith("{") || text.startsWith("["))) {
                json = JSON.readTree(text);
            }
            int retryAfter = response.headers().firstValue("Retry-After").map(v -> {
                try {
                    return Integer.parseInt(v.strip());
                } catch (NumberFormatException e) {
                    return 1; // an HTTP date: wait a moment
                }
            }).orElse(0);
            return new Reply(response.statusCode(), json, text, retryAfter);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        }
    }

    public Reply get(String url, String role, String subject) {
        return call("GET", url, role, subject, null, null, Map.of());
    }

    public Reply post(String url, String role, String subject, String json) {
        return call("POST", url, role, subject, json, "application/json", Map.of());
    }

    public Reply put(String url, String role, String subject, String json) {
        return call("PUT", url, role, subject, json, "application/json", Map.of());
    }

    /**
     * A registered worker verifies their real name (with the identity the simulated register knows)
     * and signs the labor-service agreement: without the first they cannot accept, without the
     * second their earnings are held.
     */
    public void verifyAndSign(String workerId) {
        for (String[] step : new String[][]{{"/verification", TestIdentities.VERIFICATION}, {"/agreement", TestIdentities.AGREEMENT}}) {
            Reply r = post(matching + "/workers/" + workerId + step[0], "worker", workerId, step[1]);
            if (r.status() != 200 && r.status() != 409) { // 409: verified by an earlier run
                throw new IllegalStateException("worker " + workerId + step[0] + ": " + r.status() + " " + r.text());
            }
        }
    }

    public boolean ready() {
        for (String base : new String[]{orders, matching, settlement}) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    return false;
                }
            } catch (Exception e) {
                return false;
            }
        }
        return true;
    }
}
