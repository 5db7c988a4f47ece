package cn.jiujinbang.platform.booking;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Orders booked ahead: an order whose window starts more than {@code offerLead} after it is posted
 * is scheduled, and offered at window start − lead rather than at once (a worker's day more than a
 * few hours ahead is not yet known; offering too early only makes offers expire). Order-service
 * shows the resident when offers start; matching-service starts the first round then.
 */
public record BookingPolicy(Duration offerLead) {

    public BookingPolicy {
        if (offerLead == null || offerLead.isNegative()) {
            throw new IllegalArgumentException("gig.booking.offer-lead must be zero or more, not " + offerLead);
        }
    }

    /** When the order's first offers go out: at once, or window start − lead when that is later. */
    public OffsetDateTime offersFrom(OffsetDateTime windowStart, OffsetDateTime postedAt) {
        OffsetDateTime lead = windowStart.minus(offerLead);
        return lead.isAfter(postedAt) ? lead : postedAt;
    }

    /** Whether an order posted at {@code postedAt} waits before it is offered. */
    public boolean scheduled(OffsetDateTime windowStart, OffsetDateTime postedAt) {
        return windowStart.minus(offerLead).isAfter(postedAt);
    }
}
