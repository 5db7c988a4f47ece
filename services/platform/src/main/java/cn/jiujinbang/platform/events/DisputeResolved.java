package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.dispute.resolved.v1} (gig.settlement): finance or an admin resolved the order's dispute:
 * PAY_IN_FULL, PARTIAL_REFUND ({@code refundFen} back to the resident) or FULL_REFUND.
 */
public record DisputeResolved(String orderId, String outcome, long refundFen, String resolvedBy, String note,
                              OffsetDateTime resolvedAt) {
    public DisputeResolved {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(outcome, "outcome");
        EventFields.notNegative(refundFen, "refundFen");
        EventFields.required(resolvedBy, "resolvedBy");
        EventFields.required(resolvedAt, "resolvedAt");
    }
}
