package cn.jiujinbang.bench;

import cn.jiujinbang.catalog.Catalog;
import cn.jiujinbang.devinfra.InfraResources;
import cn.jiujinbang.devinfra.LocalPostgres;
import cn.jiujinbang.matching.repository.MatchingRepository;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nearby search with a city's worth of workers: loads WORKERS (default 1,000,000) workers spread
 * over Chongqing's main urban districts, then times the candidate query of matching-service
 * (MatchingRepository.CANDIDATES_SQL, the very text the service runs) with its GiST index, and the
 * same query forced into a full scan, and writes a report (argument 1, default
 * target/bench/matching-report.md).
 */
public final class MatchingBenchmark {

    // Chongqing main districts (Yuzhong, Jiulongpo, Jiangbei, Shapingba, Nan'an, Dadukou, Yubei, Banan)
    private static final double LAT_MIN = 29.35, LAT_MAX = 29.75, LON_MIN = 106.25, LON_MAX = 106.75;

    private MatchingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int workers = Integer.parseInt(System.getenv().getOrDefault("WORKERS", "1000000"));
        int indexedQueries = Integer.parseInt(System.getenv().getOrDefault("QUERIES", "2000"));
        int scanQueries = Integer.parseInt(System.getenv().getOrDefault("SCAN_QUERIES", "40"));
        Path report = Path.of(args.length > 0 ? args[0] : "target/bench/matching-report.md");

        try (LocalPostgres postgres = LocalPostgres.start(InfraResources.freePort(), null)) {
            String url = "jdbc:postgresql://localhost:" + postgres.port() + "/" + LocalPostgres.DATABASE;
            try (Connection owner = DriverManager.getConnection(url, "matching_owner", "matching_owner_dev")) {
                for (String migration : List.of("db/platform/V1__outbox_inbox.sql", "db/migration/V2__matching.sql")) {
                    owner.createStatement().execute(resource(migration));
                }
            }
            long loadStart = System.nanoTime();
            try (Connection su = DriverManager.getConnection(postgres.superuserJdbcUrl(LocalPostgres.DATABASE))) {
                Statement st = su.createStatement();
                st.execute("SET search_path = matching");
                String codes = Arrays.stream(Catalog.standard().services().stream().map(Catalog.ServiceType::code)
                        .toArray(String[]::new)).map(c -> "'" + c + "'").reduce((a, b) -> a + "," + b).orElseThrow();
                // every worker has 3 random skills, a 1-10 km radius; 85 % are available
                st.execute("""
                        INSERT INTO worker (id, name, service_codes, home_lat, home_lon, radius_m, available, rating, active_jobs,
                                            created_at, updated_at)
                        SELECT 'bw-' || g, 'worker ' || g,
                               ARRAY[c[1 + (random() * 55)::int], c[1 + (random() * 55)::int], c[1 + (random() * 55)::int]],
                               %f + random() * %f, %f + random() * %f, 1000 + (random() * 9000)::int, random() < 0.85,
                               3.5 + random() * 1.5, (random() * 3)::int, now(), now()
                        FROM generate_series(1, %d) g, (SELECT ARRAY[%s] AS c) codes"""
                        .formatted(LAT_MIN, LAT_MAX - LAT_MIN, LON_MIN, LON_MAX - LON_MIN, workers, codes));
                st.execute("ANALYZE worker");
            }
            Duration load = Duration.ofNanos(System.nanoTime() - loadStart);

            Random random = new Random(42);
            List<String> services = Catalog.standard().services().stream().map(Catalog.ServiceType::code).toList();
            String indexPlan;
            double[] indexed;
            double[] scanned;
            int[] found = new int[1];
            Query q = Query.of(MatchingRepository.CANDIDATES_SQL);
            // each run on its own connection with its planner settings made before any statement, and
            // custom plans only, so no cached plan of one run leaks into the other
            try (Connection app = DriverManager.getConnection(url, "matching_svc", "matching_svc_dev")) {
                Statement st = app.createStatement();
                st.execute("SET plan_cache_mode = force_custom_plan");
                // what the service does inside its transaction (SET LOCAL there), for this session
                st.execute(MatchingRepository.NEAREST_FIRST_PLAN.replace("SET LOCAL", "SET"));
                indexPlan = plan(app, 29.55, 106.5, "PET_CARE");
                time(app, q, random, services, 200, null); // warm-up
                indexed = time(app, q, random, services, indexedQueries, found);
            }
            try (Connection app = DriverManager.getConnection(url, "matching_svc", "matching_svc_dev")) {
                Statement st = app.createStatement();
                st.execute("SET plan_cache_mode = force_custom_plan");
                st.execute("SET enable_indexscan = off");
                st.execute("SET enable_bitmapscan = off");
                String scanPlan = plan(app, 29.55, 106.5, "PET_CARE");
                if (scanPlan.contains("worker_home_available")) {
                    throw new IllegalStateException("the full-scan run still used the index:\n" + scanPlan);
                }
                scanned = time(app, q, random, services, scanQueries, null);
            }
            write(report, workers, load, indexedQueries, scanQueries, indexed, scanned, found[0], indexPlan);
            System.out.println(Files.readString(report));
        }
    }

    /** The candidate query with its named parameters turned into JDBC placeholders. */
    record Query(String sql, List<String> names) {
        static Query of(String named) {
            Matcher m = Pattern.compile(":([a-zA-Z]+)").matcher(named);
            List<String> names = new ArrayList<>();
            StringBuilder sql = new StringBuilder();
            while (m.find()) {
                names.add(m.group(1));
                m.appendReplacement(sql, "?");
            }
            m.appendTail(sql);
            return new Query(sql.toString(), names);
        }

        PreparedStatement bind(Connection c, double lat, double lon, String service) throws Exception {
            PreparedStatement ps = c.prepareStatement(sql);
            for (int i = 0; i < names.size(); i++) {
                switch (names.get(i)) {
                    case "lat" -> ps.setDouble(i + 1, lat);
                    case "lon" -> ps.setDouble(i + 1, lon);
                    case "radius" -> ps.setDouble(i + 1, 3000.0);
                    case "serviceCode" -> ps.setString(i + 1, service);
                    case "orderId" -> ps.setObject(i + 1, UUID.randomUUID());
                    case "pool" -> ps.setInt(i + 1, 20);
                    default -> throw new IllegalStateException("unknown parameter " + names.get(i));
                }
            }
            return ps;
        }
    }

    private static double[] time(Connection c, Query q, Random random, List<String> services, int n, int[] found)
            throws Exception {
        double[] millis = new double[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            double lat = LAT_MIN + 0.05 + random.nextDouble() * (LAT_MAX - LAT_MIN - 0.1);
            double lon = LON_MIN + 0.05 + random.nextDouble() * (LON_MAX - LON_MIN - 0.1);
            try (PreparedStatement ps = q.bind(c, lat, lon, services.get(random.nextInt(services.size())))) {
                long t = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        total++;
                    }
                }
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        if (found != null) {
            found[0] = total / n;
        }
        Arrays.sort(millis);
        return millis;
    }

    /** EXPLAIN ANALYZE of the query with literal values (EXPLAIN cannot take bind parameters here). */
    private static String plan(Connection c, double lat, double lon, String service) throws Exception {
        StringBuilder plan = new StringBuilder();
        String literal = MatchingRepository.CANDIDATES_SQL.replace(":lat", String.valueOf(lat)).replace(":lon", String.valueOf(lon))
                .replace(":radius", "3000.0").replace(":serviceCode", "'" + service + "'")
                .replace(":orderId", "'" + UUID.randomUUID() + "'::uuid").replace(":pool", "20");
        try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + literal)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static void write(Path report, int workers, Duration load, int n, int scanN, double[] indexed, double[] scanned,
                              int averageFound, String plan) throws Exception {
        Files.createDirectories(report.toAbsolutePath().getParent());
        double p50 = percentile(indexed, 50), p99 = percentile(indexed, 99);
        double s50 = percentile(scanned, 50), s99 = percentile(scanned, 99);
        String text = """
                # Matching benchmark: nearest candidates among %,d workers

                Run %s on %d cores (%s). Workers spread uniformly over Chongqing's main districts
                (lat %.2f–%.2f, lon %.2f–%.2f, about 44 × 48 km), 3 random skills each, 85 %% available.
                Query: `MatchingRepository.CANDIDATES_SQL` (search radius 3 km, 20 nearest eligible),
                random order points and service codes, as the `matching_svc` role. Loading took %d s.

                | query | runs | p50 ms | p99 ms |
                |---|---|---|---|
                | nearest-first through the GiST index (as the service runs it) | %d | %.2f | %.2f |
                | forced full scan (index scans off) | %d | %.1f | %.1f |

                The index answers **%.0f× faster at p50** (%.0f× at p99). Average candidates found per query: %d.

                Plan of one indexed query:
                ```
                %s```
                """.formatted(workers, LocalDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.arch"), LAT_MIN, LAT_MAX, LON_MIN, LON_MAX, load.toSeconds(), n, p50, p99, scanN,
                s50, s99, s50 / p50, s99 / p99, averageFound, plan);
        Files.writeString(report, text, StandardCharsets.UTF_8);
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = MatchingBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
