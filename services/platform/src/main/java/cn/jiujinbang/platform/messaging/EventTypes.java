package cn.jiujinbang.platform.messaging;

import java.util.Set;

/**
 * Every event type of the platform (docs/events.md has their schemas). The version is part of the
 * type: a consumer that meets an unknown type or version dead-letters it rather than guessing.
 */
public final class EventTypes {

    public static final String ORDER_POSTED = "gig.order.posted.v1";
    public static final String ORDER_CANCELLED = "gig.order.cancelled.v1";
    public static final String ORDER_STARTED = "gig.order.started.v1";
    public static final String ORDER_COMPLETED = "gig.order.completed.v1";
    public static final String ORDER_RATED = "gig.order.rated.v1";
    public static final String ORDER_DISPUTED = "gig.order.disputed.v1";
    public static final String ORDER_RATING_WITHDRAWN = "gig.order.rating-withdrawn.v1";
    public static final String MATCH_ASSIGNED = "gig.match.assigned.v1";
    public static final String MATCH_UNMATCHED = "gig.match.unmatched.v1";
    public static final String WORKER_VERIFIED = "gig.worker.verified.v1";
    public static final String WORKER_AGREEMENT_SIGNED = "gig.worker.agreement-signed.v1";
    public static final String SETTLEMENT_SETTLED = "gig.settlement.settled.v1";
    public static final String PAYMENT_HELD = "gig.payment.held.v1";
    public static final String PAYMENT_FAILED = "gig.payment.failed.v1";
    public static final String DISPUTE_RESOLVED = "gig.dispute.resolved.v1";

    private static final Set<String> ALL = Set.of(ORDER_POSTED, ORDER_CANCELLED, ORDER_STARTED, ORDER_COMPLETED, ORDER_RATED, ORDER_DISPUTED, ORDER_RATING_WITHDRAWN,
            MATCH_ASSIGNED, MATCH_UNMATCHED, WORKER_VERIFIED, WORKER_AGREEMENT_SIGNED, SETTLEMENT_SETTLED, PAYMENT_HELD, PAYMENT_FAILED, DISPUTE_RESOLVED);

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return ALL.contains(type);
    }
}
