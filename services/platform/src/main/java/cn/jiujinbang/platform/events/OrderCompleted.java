package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.order.completed.v1}: the resident confirmed (or the confirmation delay ran out);
 * carries everything settlement needs, with the quote fixed at posting.
 */
public record OrderCompleted(String orderId, String residentId, String workerId, String serviceCode,
                             String categoryCode, long priceFen, long serviceFeeFen, boolean autoConfirmed,
                             OffsetDateTime completedAt) {
    public OrderCompleted {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(workerId, "workerId");
        EventFields.positive(priceFen, "priceFen");
        EventFields.notNegative(serviceFeeFen, "serviceFeeFen");
        EventFields.required(completedAt, "completedAt");
    }
}
