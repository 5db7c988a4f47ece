package cn.jiujinbang.platform.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class VerifiedTokensTests {

    private static final long NOW = 1_800_000_000L;

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        long epochSecond = NOW;

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(epochSecond);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private record Token(Map<String, Object> claims) implements JsonWebToken {
        static Token issued(long iat, long exp) {
            return new Token(Map.of("sub", "w-1", "iat", iat, "exp", exp));
        }

        @Override
        public String getName() {
            return "w-1";
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String name) {
            return (T) claims.get(name);
        }
    }

    private final MovableClock clock = new MovableClock();
    private final VerifiedTokens tokens = new VerifiedTokens(clock, Duration.ofSeconds(60), OptionalLong.of(3600), 3);

    @Test
    void aCheckedTokenIsTakenByItsExactTextForAMinuteAtMost() {
        Token token = Token.issued(NOW - 10, NOW + 3000);
        tokens.put("aaa.bbb.ccc", token);
        assertSame(token, tokens.get("aaa.bbb.ccc"));
        assertNull(tokens.get("aaa.bbb.ccd"), "another text is checked in full");
        clock.epochSecond = NOW + 59;
        assertSame(token, tokens.get("aaa.bbb.ccc"));
        clock.epochSecond = NOW + 60;
        assertNull(tokens.get("aaa.bbb.ccc"), "checked again after the reuse window");
    }

    @Test
    void neverBeyondTheTokensExpiryOrItsAcceptedAge() {
        tokens.put("expires-soon", Token.issued(NOW - 10, NOW + 5));
        tokens.put("old", Token.issued(NOW - 3590, NOW + 3000));
        clock.epochSecond = NOW + 5;
        assertNull(tokens.get("expires-soon"), "expired: the parser refuses it");
        assertSame(Token.class, tokens.get("old").getClass());
        clock.epochSecond = NOW + 10;
        assertNull(tokens.get("old"), "older than the accepted hour: the parser refuses it");
    }

    @Test
    void anExpiredTokenIsNotKeptAndTheNumberKeptIsBounded() {
        tokens.put("expired", Token.issued(NOW - 100, NOW));
        assertEquals(0, tokens.size());
        for (int i = 0; i < 3; i++) {
            tokens.put("t" + i, Token.issued(NOW, NOW + 3000));
        }
        assertEquals(3, tokens.size());
        tokens.put("t3", Token.issued(NOW, NOW + 3000));
        assertEquals(1, tokens.size(), "a fourth starts the set afresh");
    }
}
