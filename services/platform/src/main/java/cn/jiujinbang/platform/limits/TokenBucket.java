package cn.jiujinbang.platform.limits;

/**
 * A token bucket: at most {@code capacity} actions at once, refilled at {@code perMinute}. Time is
 * passed in (nanoseconds of any monotonic clock), so the rule is tested without waiting.
 */
public final class TokenBucket {

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long last;

    public TokenBucket(int capacity, int perMinute, long nowNanos) {
        if (capacity < 1 || perMinute < 1) {
            throw new IllegalArgumentException("a bucket needs capacity and refill of at least 1");
        }
        this.capacity = capacity;
        this.tokensPerNano = perMinute / 60e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token: 0 when the action may go ahead, else how many nanoseconds until one is there. */
    public synchronized long take(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }

    /** Whether the bucket is full again (nobody acted for a while): it can be forgotten. */
    public synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(capacity, tokens + (nowNanos - last) * tokensPerNano);
            last = nowNanos;
        }
    }
}
