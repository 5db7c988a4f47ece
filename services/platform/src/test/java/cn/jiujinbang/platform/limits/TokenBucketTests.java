package cn.jiujinbang.platform.limits;

import cn.jiujinbang.platform.problem.ApiProblem;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class TokenBucketTests {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBurstPassesThenOneActionPerRefillInterval() {
        TokenBucket bucket = new TokenBucket(3, 6, 0); // 3 at once, then one every 10 s
        assertEquals(0, bucket.take(0));
        assertEquals(0, bucket.take(0));
        assertEquals(0, bucket.take(0));
        assertEquals(10 * SECOND, bucket.take(0), 1_000);
        assertEquals(5 * SECOND, bucket.take(5 * SECOND), 1_000);
        assertEquals(0, bucket.take(10 * SECOND));
        assertFalse(bucket.full(10 * SECOND));
        assertTrue(bucket.full(40 * SECOND), "refilled to capacity, never beyond");
        assertEquals(0, bucket.take(1000 * SECOND));
        assertEquals(0, bucket.take(1000 * SECOND));
        assertEquals(0, bucket.take(1000 * SECOND));
        assertTrue(bucket.take(1000 * SECOND) > 0);
    }

    @Test
    void eachCallerHasItsOwnBucketPerActionAndTheRefusalSaysWhenToRetry() {
        AtomicLong now = new AtomicLong();
        CallerRateLimits limits = new CallerRateLimits(Map.of("post-order", limit(2, 0)), now::get);
        limits.check("post-order", "r-1");
        limits.check("post-order", "r-1");
        ApiProblem refused = assertThrows(ApiProblem.class, () -> limits.check("post-order", "r-1"));
        assertEquals(429, refused.status());
        assertEquals(30, refused.retryAfterSeconds());
        limits.check("post-order", "r-2"); // someone else is not slowed down
        now.addAndGet(30 * SECOND);
        limits.check("post-order", "r-1");
        assertThrows(IllegalStateException.class, () -> limits.check("unconfigured", "r-1"));
    }

    private static CallerRateLimits.Config.Limit limit(int perMinute, int burst) {
        return new CallerRateLimits.Config.Limit() {
            @Override
            public int perMinute() {
                return perMinute;
            }

            @Override
            public int burst() {
                return burst;
            }
        };
    }
}
