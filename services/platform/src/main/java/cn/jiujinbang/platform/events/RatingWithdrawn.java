package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.order.rating-withdrawn.v1}: an admin found the order's rating abusive and withdrew it;
 * matching takes its stars out of the worker's rating.
 */
public record RatingWithdrawn(String orderId, String workerId, int stars, OffsetDateTime withdrawnAt) {
    public RatingWithdrawn {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(workerId, "workerId");
        EventFields.within(stars, 1, 5, "stars");
        EventFields.required(withdrawnAt, "withdrawnAt");
    }
}
