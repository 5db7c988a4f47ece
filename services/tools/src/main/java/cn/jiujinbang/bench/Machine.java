package cn.jiujinbang.bench;

import cn.jiujinbang.devinfra.KafkaAccess;

import cn.jiujinbang.demo.PlatformClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks measure of the machine itself, next to their own figures: CPU time of the
 * platform's processes, this machine's ceilings (pgbench on the same PostgreSQL, Kafka's producer
 * performance tool on the same broker), and its size.
 */
final class Machine {

    private Machine() {
    }

    static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }

    /** The platform's public API (ORDER_URL, MATCHING_URL, SETTLEMENT_URL); exits when it is not running. */
    static PlatformClient runningPlatform() {
        PlatformClient api = new PlatformClient(env("ORDER_URL", "http://localhost:8081"),
                env("MATCHING_URL", "http://localhost:8082"), env("SETTLEMENT_URL", "http://localhost:8083"));
        if (!api.ready()) {
            System.err.println("the platform is not running: start it with 'make run'");
            System.exit(1);
        }
        return api;
    }

    /** CPU seconds (user + system, in clock ticks) of each process of the platform so far. */
    static Map<String, long[]> cpuSeconds() throws IOException {
        Map<String, long[]> cpu = new LinkedHashMap<>();
        for (String service : List.of("order-service", "matching-service", "settlement-service")) {
            Path pidFile = Path.of(".local/pids/" + service + ".pid");
            if (Files.exists(pidFile)) {
                cpu.put(service, new long[]{ticks(Files.readString(pidFile).strip(), false)});
            }
        }
        Path kafkaPid = Path.of(".local/kafka.pid");
        if (Files.exists(kafkaPid)) {
            cpu.put("Kafka broker", new long[]{ticks(Files.readString(kafkaPid).strip(), false)});
        }
        long postgres = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    if (stat.contains("(postgres)")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        boolean postmaster = !Files.readString(Path.of("/proc/" + f[1] + "/stat")).contains("(postgres)");
                        postgres += ticks(p.getFileName().toString(), postmaster);
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile; its parent counts it once reaped
                }
            }
        }
        cpu.put("PostgreSQL", new long[]{postgres});
        cpu.put("load generator", new long[]{ticks("self", false)});
        return cpu;
    }

    /** The -X flags order-service runs with (JIT, heap, GC, class-data archive), read from its command line. */
    static String serviceJvmFlags() throws IOException {
        Path pidFile = Path.of(".local/pids/order-service.pid");
        if (!Files.exists(pidFile)) {
            return "unknown";
        }
        String cmdline = Files.readString(Path.of("/proc/" + Files.readString(pidFile).strip() + "/cmdline"));
        return String.join(" ", java.util.Arrays.stream(cmdline.split("\0")).filter(a -> a.startsWith("-X")).toList());
    }

    /** utime + stime (+ the reaped children's, for a server that forks per connection). */
    static long ticks(String pid, boolean withChildren) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (withChildren) {
            t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return t;
    }

    record Ceiling(String what, double perSecond, String detail) {
    }

    /** pgbench's TPC-B-like script on the platform's PostgreSQL, in a database of its own. */
    static Ceiling pgbench() {
        String port = env("GIG_DB_PORT", "15432");
        try {
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
                 Statement st = db.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS bench_ceiling");
                st.execute("CREATE DATABASE bench_ceiling");
            }
            List<String> base = List.of("-h", "localhost", "-p", port, "-U", "postgres");
            exec(concat(List.of("pgbench", "-i", "-q", "-s", "10"), base, List.of("bench_ceiling")));
            String out = exec(concat(List.of("pgbench", "-c", "8", "-j", "2", "-T", "20", "-M", "prepared", "-n"), base,
                    List.of("bench_ceiling")));
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            Matcher latency = Pattern.compile("latency average = ([0-9.]+ ms)").matcher(out);
            if (!tps.find()) {
                return new Ceiling("pgbench", 0, "no tps in its output: " + out);
            }
            return new Ceiling("pgbench TPC-B-like, scale 10, 8 clients, 20 s, prepared", Double.parseDouble(tps.group(1)),
                    latency.find() ? "latency average " + latency.group(1) : "");
        } catch (Exception e) {
            return new Ceiling("pgbench", 0, "not measured: " + e.getMessage()
                    + " (pgbench comes with Debian's postgresql-client package)");
        } finally {
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres");
                 Statement st = db.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS bench_ceiling");
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** Kafka's own producer performance tool on the platform's broker, acks=all like the relay. */
    static Ceiling kafkaProducer() {
        String topic = "bench.ceiling";
        // signed in like the services (SASL/SCRAM), so the ceiling includes what their clients pay
        Map<String, Object> client = KafkaAccess.fromEnvironment();
        try (Admin admin = Admin.create(client)) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                Thread.sleep(1000);
            } catch (Exception absent) {
                // not there: fine
            }
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            String classpath = Files.readString(Path.of("services/kafka-broker/target/broker.classpath")).strip();
            // the sign-in settings go in a file: --producer-props refuses a value with '=' in it (the JAAS line)
            Path clientConfig = Files.createTempFile("bench-producer", ".properties");
            java.util.Properties props = new java.util.Properties();
            client.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
            try (var writer = Files.newBufferedWriter(clientConfig)) {
                props.store(writer, null);
            }
            String out = exec(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", classpath, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
                    "--num-records", "300000", "--record-size", "400", "--throughput", "-1",
                    "--producer.config", clientConfig.toString(), "--producer-props", "acks=all", "enable.idempotence=true"));
            Files.deleteIfExists(clientConfig);
            Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency")
                    .matcher(out);
            double rate = 0;
            String detail = out.lines().reduce((a, b) -> b).orElse("");
            while (m.find()) {
                rate = Double.parseDouble(m.group(2));
            }
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            return new Ceiling("Kafka ProducerPerformance, 300,000 × 400 B, acks=all, idempotent", rate, detail);
        } catch (Exception e) {
            return new Ceiling("Kafka producer", 0, "not measured: " + e);
        }
    }

    static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            // the program (a java main class after its class path, or the command) and the first error
            // line: a class path of Kafka's jars would fill a report's table cell
            int cp = command.indexOf("-cp");
            String program = cp >= 0 && cp + 2 < command.size() ? command.get(cp + 2) : command.get(0);
            String error = out.lines().filter(l -> l.contains("Exception") || l.contains("ERROR") || l.contains("error"))
                    .findFirst().orElse(out.lines().reduce((a, b) -> b).orElse("no output"));
            throw new IllegalStateException(program + " failed: " + error);
        }
        return out;
    }

    static String percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return "–";
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return "%.0f".formatted(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    static String machineMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return "%.0f GiB memory".formatted(kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "memory unknown";
    }
}
