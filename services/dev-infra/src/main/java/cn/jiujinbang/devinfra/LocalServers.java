package cn.jiujinbang.devinfra;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * PostgreSQL and Kafka started side by side, or neither: each spends most of its start waiting on its
 * own process (the database's recovery and listener, the broker's JVM and its topics), so `make run`
 * waits for the slower of the two instead of both one after the other. Not for the tests'
 * {@link TestInfrastructure}: it starts its servers holding the system properties' lock (its
 * cross-class-loader registry), and the database driver's first time-zone lookup on the other thread
 * needs that lock (a deadlock the system tests hit).
 */
record LocalServers(LocalPostgres postgres, LocalKafka kafka) {

    static LocalServers start(int dbPort, Path dataDirectory, int kafkaPort, int controllerPort, Path kafkaDirectory)
            throws Exception {
        FutureTask<LocalPostgres> database = new FutureTask<>(() -> LocalPostgres.start(dbPort, dataDirectory));
        new Thread(database, "postgres-start").start();
        LocalKafka kafka;
        try {
            kafka = LocalKafka.start(kafkaPort, controllerPort, kafkaDirectory);
        } catch (Exception e) {
            try {
                database.get().close();
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        try {
            return new LocalServers(database.get(), kafka);
        } catch (ExecutionException e) {
            kafka.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
