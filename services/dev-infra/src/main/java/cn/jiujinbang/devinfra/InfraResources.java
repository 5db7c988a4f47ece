package cn.jiujinbang.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/** Files this module carries from deploy/ and the broker build, and free local ports. */
public final class InfraResources {

    private InfraResources() {
    }

    static String text(String name) {
        try (InputStream in = InfraResources.class.getResourceAsStream("/gig-infra/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource gig-infra/" + name + ": build the project with ./mvnw first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
