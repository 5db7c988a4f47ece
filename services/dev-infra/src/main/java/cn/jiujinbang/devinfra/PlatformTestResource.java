package cn.jiujinbang.devinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a service under test at the real PostgreSQL and Kafka of {@link TestInfrastructure}.
 * The servers are shared by every test class of the JVM and outlive Quarkus restarts.
 */
public class PlatformTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestInfrastructure.shared().serviceConfig();
    }

    @Override
    public void stop() {
        // the servers belong to the JVM, not to one application start; a shutdown hook stops them
    }
}
