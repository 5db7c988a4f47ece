package cn.jiujinbang.system;

import cn.jiujinbang.devinfra.KafkaAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How a packaged service starts outside the tests' profile: production refuses the development key; make run stays on loopback. */
class ProductionStartTests {

    @Test
    void aProductionStartWithTheDevelopmentKeyRefusesToStartAndSaysWhy() throws Exception {
        Map<String, String> env = production("order-service");
        env.put("GIG_JWT_PUBLIC_KEY_LOCATION", "dev-jwt/publicKey.pem");
        try (ServiceProcess production = new ServiceProcess("order-service", env)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, production::start);
            assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Refusing to start: tokens would be verified with the DEVELOPMENT key pair"),
                    refused.getMessage());
        }
    }

    /** A production start with its own issuer's key: the settings a real deployment gives (docs/security.md). */
    private static Map<String, String> production(String service) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = Files.createTempFile("issuer", ".pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String role = service.substring(0, service.indexOf('-'));
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_PROFILE", "prod",
                "GIG_JWT_PUBLIC_KEY_LOCATION", key.toString(),
                "GIG_JWT_ISSUER", "https://id.example.cn/realms/jiujinbang",
                "GIG_DB_PASSWORD", role + "_svc_dev",
                "GIG_KAFKA_PASSWORD", KafkaAccess.localPassword(service)));
        return env;
    }

    /** The release's migration step, as a deployment runs it before starting any replica (runbook). */
    private static String migrate(String service) throws Exception {
        Map<String, String> env = production(service);
        env.putAll(Map.of("GIG_DB_MIGRATE_AT_START", "true", "QUARKUS_INIT_AND_EXIT", "true",
                "GIG_DB_OWNER_PASSWORD", service.substring(0, service.indexOf('-')) + "_owner_dev"));
        ServiceProcess migration = new ServiceProcess(service, env);
        assertEquals(0, migration.runToExit(Duration.ofSeconds(90)), migration.log());
        return migration.log();
    }

    @BeforeAll
    static void migrateAsAReleaseDoes() throws Exception {
        orderMigrationLog = migrate("order-service");
        migrate("settlement-service");
    }

    private static String orderMigrationLog;

    @Test
    void theMigrationStepMigratesAsTheOwnerAndExitsWithoutServing() throws Exception {
        assertTrue(orderMigrationLog.contains("Flyway"), orderMigrationLog);
        assertFalse(orderMigrationLog.contains("Listening on"), "a migration step never serves: " + orderMigrationLog);
        assertEquals(0, cn.jiujinbang.devinfra.DbProbe.count(
                "SELECT count(*) FROM orders.flyway_schema_history WHERE NOT success"));
        assertTrue(cn.jiujinbang.devinfra.DbProbe.count("SELECT count(*) FROM information_schema.tables "
                + "WHERE table_schema = 'orders' AND table_name = 'gig_order'") == 1, "the schema is there");
    }

    @Test
    void aProductionSettlementServiceWithOnlyTheSimulatedChannelRefusesToStart() throws Exception {
        try (ServiceProcess settlement = new ServiceProcess("settlement-service", production("settlement-service"))) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, settlement::start);
            assertTrue(refused.getMessage().contains("Refusing to start: payments would go to the SIMULATED channel"),
                    refused.getMessage());
        }
    }

    @Test
    void aLocalServiceListensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no address besides loopback");
        try (ServiceProcess local = new ServiceProcess("order-service", Map.of()).start()) {
            int port = URI.create(local.baseUrl()).getPort();
            try (Socket loopback = new Socket()) {
                loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            }
            assertThrows(ConnectException.class, () -> {
                try (Socket outside = new Socket()) {
                    outside.connect(new InetSocketAddress(other.get(), port), 2000);
                }
            }, "reachable on " + other.get());
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                }).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
