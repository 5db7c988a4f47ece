package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/** {@code gig.match.unmatched.v1}: no worker accepted in any round. */
public record MatchUnmatched(String orderId, int rounds, String reason, OffsetDateTime decidedAt) {
    public MatchUnmatched {
        Objects.requireNonNull(orderId, "orderId");
    }
}
