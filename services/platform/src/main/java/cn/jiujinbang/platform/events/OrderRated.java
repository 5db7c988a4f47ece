package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.order.rated.v1}: the resident rated the worker who did the order, 1 to 5 stars, once
 * (matching folds it into the worker's rating).
 */
public record OrderRated(String orderId, String residentId, String workerId, int stars, OffsetDateTime ratedAt) {
    public OrderRated {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(workerId, "workerId");
        EventFields.within(stars, 1, 5, "stars");
        EventFields.required(ratedAt, "ratedAt");
    }
}
