package cn.jiujinbang.devinfra;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment of a packaged service started on this machine by the tests, {@code make chaos} or a
 * benchmark (deploy/local/platform.sh sets the same for {@code make run}): the production build with
 * the "local" profile on top, which trusts the development key pair, listens on loopback only and
 * uses the local servers' development credentials.
 */
public final class LocalServices {

    private LocalServices() {
    }

    public static Map<String, String> environment(String dbHost, int dbPort, String kafkaBootstrapServers) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "prod,local");
        env.put("GIG_DB_HOST", dbHost);
        env.put("GIG_DB_PORT", String.valueOf(dbPort));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        return env;
    }
}
