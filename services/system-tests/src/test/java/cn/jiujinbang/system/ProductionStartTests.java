package cn.jiujinbang.system;

import cn.jiujinbang.devinfra.KafkaAccess;
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
        try (ServiceProcess production = new ServiceProcess("order-service", Map.of(
                "QUARKUS_PROFILE", "prod",
                "GIG_JWT_PUBLIC_KEY_LOCATION", "dev-jwt/publicKey.pem",
                "GIG_JWT_ISSUER", "https://id.example.cn/realms/jiujinbang"))) {
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

    @Test
    void theMigrationStepMigratesAsTheOwnerAndExitsWithoutServing() throws Exception {
        Map<String, String> env = production("order-service");
        env.putAll(Map.of("GIG_DB_MIGRATE_AT_START", "true", "QUARKUS_INIT_AND_EXIT", "true",
                "GIG_DB_OWNER_PASSWORD", "order_owner_dev"));
        ServiceProcess migration = new ServiceProcess("order-service", env);
        assertEquals(0, migration.runToExit(Duration.ofSeconds(90)), migration.log());
        assertTrue(migration.log().contains("Flyway"), migration.log());
        assertFalse(migration.log().contains("Listening on"), "a migration step never serves: " + migration.log());
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
