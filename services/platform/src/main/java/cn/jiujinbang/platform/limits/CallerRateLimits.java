package cn.jiujinbang.platform.limits;

import cn.jiujinbang.platform.problem.ApiProblem;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Per-caller limits on the actions one person can repeat to hurt others (posting orders, grabbing
 * offers): each caller has a token bucket per action; beyond it the request is answered 429 with
 * Retry-After before anything is read or written. The buckets live in each replica, so with N
 * replicas behind a load balancer a caller gets up to N times the limit (docs/security.md).
 */
@ApplicationScoped
public class CallerRateLimits {

    /** {@code gig.rate-limits.<action>.per-minute} and {@code .burst}. */
    @ConfigMapping(prefix = "gig.rate-limits")
    public interface Config {
        Map<String, Limit> actions();

        interface Limit {
            int perMinute();

            @WithDefault("0")
            int burst();
        }
    }

    private static final int FORGET_EVERY = 10_000;

    private final Map<String, Config.Limit> limits;
    private final LongSupplier nanos;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    @Inject
    public CallerRateLimits(Config config) {
        this(config.actions(), System::nanoTime);
    }

    CallerRateLimits(Map<String, Config.Limit> limits, LongSupplier nanos) {
        this.limits = Map.copyOf(limits);
        this.nanos = nanos;
    }

    /** Passes, or throws 429 when {@code caller} did {@code action} more often than its limit allows. */
    public void check(String action, String caller) {
        Config.Limit limit = limits.get(action);
        if (limit == null) {
            throw new IllegalStateException("no rate limit configured for " + action + " (gig.rate-limits." + action + ".per-minute)");
        }
        long now = nanos.getAsLong();
        if (calls.incrementAndGet() % FORGET_EVERY == 0) {
            buckets.values().removeIf(b -> b.full(now)); // full again: nobody needs to remember it
        }
        long wait = buckets.computeIfAbsent(action + '\n' + caller,
                k -> new TokenBucket(limit.burst() > 0 ? limit.burst() : limit.perMinute(), limit.perMinute(), now)).take(now);
        if (wait > 0) {
            int seconds = (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
            throw ApiProblem.tooManyRequests("at most " + limit.perMinute() + " per minute for " + action.replace('-', ' ')
                    + "; try again in " + seconds + " s", seconds);
        }
    }
}
