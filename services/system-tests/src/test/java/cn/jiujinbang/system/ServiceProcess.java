package cn.jiujinbang.system;

import cn.jiujinbang.devinfra.InfraResources;
import cn.jiujinbang.devinfra.LocalServices;
import cn.jiujinbang.devinfra.TestInfrastructure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service (target/quarkus-app) running as its own process, as in production. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String name, Map<String, String> extraEnv) throws IOException {
        this.name = name;
        this.port = InfraResources.freePort();
        TestInfrastructure infra = TestInfrastructure.shared();
        this.env = new java.util.HashMap<>(LocalServices.environment(infra.dbHost(), infra.dbPort(), infra.kafkaBootstrapServers()));
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        if (!infra.kafkaSecured()) {
            this.env.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        }
        this.env.putAll(extraEnv);
        this.log = Files.createTempFile("gig-" + name, ".log");
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Runs the service as a one-off step (e.g. QUARKUS_INIT_AND_EXIT=true) and returns its exit code. */
    int runToExit(Duration timeout) throws Exception {
        launch();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " still running after " + timeout + "; log:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    String name() {
        return name;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Starts the service and waits until it is ready. */
    ServiceProcess start() throws Exception {
        launch();
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; log:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready in 120 s; log:\n" + Files.readString(log));
    }

    private void launch() throws IOException {
        Path jar = Path.of(System.getProperty("gig.services.dir", "services"), name, "target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Stops the service the way an orchestrator does (SIGTERM, then SIGKILL after 20 s). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Kills the service with SIGKILL ({@code kill -9}): no shutdown, no leaving its consumer group. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
