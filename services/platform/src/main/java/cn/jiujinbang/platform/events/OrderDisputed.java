package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.order.disputed.v1}: the resident disputes the work (within the confirmation window, or
 * up to 72 h after an automatic confirmation). Settlement holds the worker's pay for the order until
 * finance or an admin resolves it. Follows the order's gig.order.completed.v1 on the same partition.
 */
public record OrderDisputed(String orderId, String residentId, String workerId, String reason, OffsetDateTime disputedAt) {
    public OrderDisputed {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(residentId, "residentId");
        EventFields.required(workerId, "workerId");
        EventFields.required(reason, "reason");
        EventFields.required(disputedAt, "disputedAt");
    }
}
