package cn.jiujinbang.matching.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Moves orders whose offer round ran out without an accept to the next, wider round (or to
 * unmatched). Safe with several replicas: due requests are locked with SKIP LOCKED.
 */
@ApplicationScoped
public class RoundExpiryJob {

    private final MatchingService matching;

    public RoundExpiryJob(MatchingService matching) {
        this.matching = matching;
    }

    @Scheduled(every = "${gig.matching.expiry-check:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> run() {
        return matching.advanceDueRounds(50).replaceWithVoid();
    }
}
