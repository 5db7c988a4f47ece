package cn.jiujinbang.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** The rows of a table file of deploy/ (topics.txt, access.txt): blank lines and # comments left out, split on spaces. */
    static java.util.List<String[]> rows(String name) {
        return text(name).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s+")).toList();
    }

    /** Ports this JVM handed out already: the system may offer a port again as soon as its probe socket closes. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now and that this JVM has not handed out before (a broker needs two at once). */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found that was not handed out already");
    }
}
