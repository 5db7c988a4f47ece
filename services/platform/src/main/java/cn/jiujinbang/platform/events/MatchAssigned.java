package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** {@code gig.match.assigned.v1}: a worker accepted the order's offer first. */
public record MatchAssigned(String orderId, String workerId, String offerId, double distanceKm,
                            OffsetDateTime assignedAt) {
    public MatchAssigned {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(workerId, "workerId");
        EventFields.uuid(offerId, "offerId");
        EventFields.required(assignedAt, "assignedAt");
    }
}
