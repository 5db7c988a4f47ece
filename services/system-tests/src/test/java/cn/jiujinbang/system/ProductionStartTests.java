package cn.jiujinbang.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

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
