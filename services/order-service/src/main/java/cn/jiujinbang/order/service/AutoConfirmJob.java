package cn.jiujinbang.order.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Confirms finished orders the resident left unconfirmed for {@code gig.orders.auto-confirm-after}.
 * Safe with several replicas: each run locks the orders it takes and skips those another run holds.
 */
@ApplicationScoped
public class AutoConfirmJob {

    private static final int BATCH = 100;

    private final OrderService orders;
    private final Clock clock;
    private final Duration delay;

    public AutoConfirmJob(OrderService orders, Clock clock,
                          @ConfigProperty(name = "gig.orders.auto-confirm-after") Duration delay) {
        this.orders = orders;
        this.clock = clock;
        this.delay = delay;
    }

    @Scheduled(every = "${gig.orders.auto-confirm-check}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> run() {
        return orders.autoConfirmAwaitingSince(OffsetDateTime.now(clock).minus(delay), BATCH).replaceWithVoid();
    }
}
