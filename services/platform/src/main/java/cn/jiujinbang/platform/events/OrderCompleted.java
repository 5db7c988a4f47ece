package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * {@code gig.order.completed.v1}: the resident confirmed (or the confirmation delay ran out);
 * carries everything settlement needs, with the quote fixed at posting.
 */
public record OrderCompleted(String orderId, String residentId, String workerId, String serviceCode,
                             String categoryCode, long priceFen, long serviceFeeFen, boolean autoConfirmed,
                             OffsetDateTime completedAt) {
    public OrderCompleted {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(completedAt, "completedAt");
    }
}
