package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.payment.failed.v1}: the payment channel refused to hold the resident's money for the
 * order (at posting, or when an expiring hold was renewed); the order is not worked without it.
 */
public record PaymentFailed(String orderId, String residentId, String reason, OffsetDateTime failedAt) {
    public PaymentFailed {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(reason, "reason");
        EventFields.required(failedAt, "failedAt");
    }
}
