package cn.jiujinbang.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One replica of a service: its packaged jar as a process of its own, started, killed and started again. */
final class Replica {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String service;
    final int number;
    final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    Replica(String service, int number, int port, Map<String, String> env, Path logDir) {
        this.service = service;
        this.number = number;
        this.port = port;
        this.env = env;
        this.log = logDir.resolve(service + "-" + number + ".log");
    }

    String name() {
        return service + "#" + number;
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    synchronized void start() throws IOException {
        Path jar = Path.of("services", service, "target", "quarkus-app", "quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        process = builder.start();
    }

    /** SIGKILL: no shutdown hook runs, no consumer leaves its group, no session ends cleanly. */
    synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the replica is ready; the time it took from now. */
    Duration awaitReady(Duration timeout) throws InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ready()) {
                return Duration.between(start, Instant.now());
            }
            synchronized (this) {
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException(name() + " exited; see " + log);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name() + " not ready within " + timeout + "; see " + log);
    }
}
