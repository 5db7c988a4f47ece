package cn.jiujinbang.platform.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens whose signature and claims were checked already, by their exact text. A phone sends
 * the same token with every request for its whole life; checking its RS256 signature again each time
 * was 15–17 % of order- and matching-service's CPU under load (docs/benchmarks/platform.md). A token is
 * taken from here only while it is unexpired, younger than the accepted age and checked at most
 * {@code reuse} ago; after that it is checked again in full. Only tokens that passed are put here, and
 * the number held is bounded (a burst of new tokens beyond it starts the set afresh).
 */
public final class VerifiedTokens {

    private record Verified(JsonWebToken token, long validUntilEpochSecond) {
    }

    private final ConcurrentHashMap<String, Verified> byText = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration reuse;
    private final OptionalLong maxAgeSeconds;
    private final int capacity;

    public VerifiedTokens(Clock clock, Duration reuse, OptionalLong maxAgeSeconds, int capacity) {
        this.clock = clock;
        this.reuse = reuse;
        this.maxAgeSeconds = maxAgeSeconds;
        this.capacity = capacity;
    }

    /** The token checked earlier under exactly this text, or null when it must be checked (again). */
    public JsonWebToken get(String text) {
        Verified known = byText.get(text);
        if (known == null) {
            return null;
        }
        if (clock.instant().getEpochSecond() >= known.validUntilEpochSecond()) {
            byText.remove(text, known);
            return null;
        }
        return known.token();
    }

    /** Remembers a token that has just passed every check. */
    public void put(String text, JsonWebToken token) {
        long now = clock.instant().getEpochSecond();
        long until = now + reuse.toSeconds();
        if (token.getExpirationTime() > 0) {
            until = Math.min(until, token.getExpirationTime());
        }
        if (maxAgeSeconds.isPresent() && token.getIssuedAtTime() > 0) {
            until = Math.min(until, token.getIssuedAtTime() + maxAgeSeconds.getAsLong());
        }
        if (until <= now) {
            return;
        }
        if (byText.size() >= capacity) {
            byText.clear();
        }
        byText.put(text, new Verified(token, until));
    }

    int size() {
        return byText.size();
    }
}
