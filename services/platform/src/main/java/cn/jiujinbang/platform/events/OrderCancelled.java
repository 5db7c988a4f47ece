package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.order.cancelled.v1}: the order will not be done. {@code workerId} is set when a worker
 * had been assigned (matching frees the worker; settlement may pay a compensation).
 */
public record OrderCancelled(String orderId, String residentId, String workerId, boolean wasAssigned,
                             String categoryCode, long priceFen, long serviceFeeFen, String reason,
                             OffsetDateTime cancelledAt) {
    public OrderCancelled {
        EventFields.uuid(orderId, "orderId");
        if (wasAssigned) {
            EventFields.required(workerId, "workerId");
        }
        EventFields.notNegative(priceFen, "priceFen");
        EventFields.notNegative(serviceFeeFen, "serviceFeeFen");
        EventFields.required(cancelledAt, "cancelledAt");
    }
}
