package cn.jiujinbang.chaos;

import cn.jiujinbang.demo.PlatformClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a service's public API on any of its replicas, as a client behind a load balancer would:
 * a refused connection, a 5xx or a 503 goes to the next replica after a short back-off, until an
 * answer arrives or two minutes pass. Retrying is safe for the platform's writes: posting carries
 * an Idempotency-Key, and the transitions answer 409 once done, which the caller checks.
 */
final class SpreadClient {

    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    private final PlatformClient http = new PlatformClient("", "", "");
    private final Map<String, List<Replica>> replicas;
    private final AtomicInteger next = new AtomicInteger();
    final AtomicLong retries = new AtomicLong();

    SpreadClient(Map<String, List<Replica>> replicas) {
        this.replicas = replicas;
    }

    PlatformClient.Reply call(String service, String method, String path, String role, String subject, String body,
                              Map<String, String> headers) {
        return call(service, method, path, role, subject, body, headers, PlatformClient.DEFAULT_TIMEOUT);
    }

    PlatformClient.Reply call(String service, String method, String path, String role, String subject, String body,
                              Map<String, String> headers, Duration timeout) {
        List<Replica> of = replicas.get(service);
        Instant deadline = Instant.now().plus(GIVE_UP);
        long backOff = 50;
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Replica replica = of.get(Math.floorMod(next.getAndIncrement(), of.size()));
            try {
                PlatformClient.Reply reply = http.call(method, replica.baseUrl() + path, role, subject, body,
                        body == null ? null : (path.startsWith("/reconciliations") ? "text/csv" : "application/json"), headers, timeout);
                if (reply.status() < 500) {
                    return reply;
                }
                last = replica.name() + " answered " + reply.status() + " " + reply.text();
            } catch (IllegalStateException e) {
                last = replica.name() + ": " + e.getMessage();
            }
            retries.incrementAndGet();
            sleep(backOff);
            backOff = Math.min(2000, backOff * 2);
        }
        throw new IllegalStateException(method + " " + path + " on " + service + " gave no answer in " + GIVE_UP + ": " + last);
    }

    PlatformClient.Reply get(String service, String path, String role, String subject) {
        return call(service, "GET", path, role, subject, null, Map.of());
    }

    PlatformClient.Reply post(String service, String path, String role, String subject, String json) {
        return call(service, "POST", path, role, subject, json, Map.of());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
