package cn.jiujinbang.devinfra;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client as a phone app would be one: connects with a bearer token (and a
 * {@code Last-Event-ID} when resuming), and collects the events as they arrive, each stamped with
 * the time it was read.
 */
public final class SseProbe implements AutoCloseable {

    /** One event as received; {@code receivedNanos} is {@link System#nanoTime()} at arrival. */
    public record Event(String id, String name, String data, long receivedNanos) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int status;
    private final String contentType;
    private final String body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream stream;
    private volatile boolean closed;

    private SseProbe(HttpResponse<InputStream> response) throws Exception {
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("content-type").orElse("");
        this.stream = response.body();
        if (status != 200) {
            this.body = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            return;
        }
        this.body = null;
        Thread reader = new Thread(this::read, "sse-probe");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with {@code token}; {@code lastEventId} may be null. Returns once the headers are in. */
    public static SseProbe open(String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token)
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseProbe(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The body of a refused stream (problem+json); null for an open one. */
    public String body() {
        return body;
    }

    /** The next event, or null when none came within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events until one matches (included), or fails when none did within {@code timeout}. */
    public List<Event> until(Predicate<Event> match, Duration timeout) throws InterruptedException {
        List<Event> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (e != null) {
                seen.add(e);
                if (match.test(e)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no matching event within " + timeout + "; received " + seen);
    }

    private void read() {
        try {
            readEvents(stream, event -> {
                events.add(event);
                return true;
            });
        } catch (Exception e) {
            if (!closed) {
                events.add(new Event(null, "error", e.toString(), System.nanoTime()));
            }
        }
    }

    /**
     * Reads Server-Sent Events from {@code body} (comments skipped, multi-line data joined) and hands
     * each to {@code handler} until it returns false or the stream ends.
     */
    public static void readEvents(InputStream body, Predicate<Event> handler) throws java.io.IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty() && !handler.test(new Event(id, name, data.toString(), System.nanoTime()))) {
                    return;
                }
                id = null;
                name = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            stream.close();
        } catch (Exception ignored) {
            // the connection is going away either way
        }
    }
}
