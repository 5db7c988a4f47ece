package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/**
 * {@code gig.payment.held.v1}: the payment channel holds the resident's price + fee for the order
 * (escrow); matching offers the order only after this.
 */
public record PaymentHeld(String orderId, String residentId, long heldFen, OffsetDateTime expiresAt, OffsetDateTime heldAt) {
    public PaymentHeld {
        EventFields.uuid(orderId, "orderId");
        EventFields.positive(heldFen, "heldFen");
        EventFields.required(heldAt, "heldAt");
    }
}
