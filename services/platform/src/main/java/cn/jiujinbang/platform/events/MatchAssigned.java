package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/** {@code gig.match.assigned.v1}: a worker accepted the order's offer first. */
public record MatchAssigned(String orderId, String workerId, String offerId, double distanceKm,
                            OffsetDateTime assignedAt) {
    public MatchAssigned {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(workerId, "workerId");
    }
}
