package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** {@code gig.match.unmatched.v1}: no worker accepted in any round. */
public record MatchUnmatched(String orderId, int rounds, String reason, OffsetDateTime decidedAt) {
    public MatchUnmatched {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(decidedAt, "decidedAt");
    }
}
