package cn.jiujinbang.order.domain;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * When a resident may dispute the work: while it awaits their confirmation (disputing then
 * completes it as disputed, so the money is booked but the worker's pay held), or up to 72 hours
 * after it was confirmed automatically (they may not have seen it in time). Not after confirming
 * it themselves, and once per order.
 */
public final class DisputeRules {

    public static final Duration AFTER_AUTO_CONFIRM = Duration.ofHours(72);

    private DisputeRules() {
    }

    /** Why the order cannot be disputed now, or empty when it can. */
    public static Optional<String> refusal(OrderStatus status, boolean autoConfirmed, OffsetDateTime completedAt,
                                           String disputeStatus, OffsetDateTime now) {
        if (disputeStatus != null) {
            return Optional.of("the order was disputed already");
        }
        if (status == OrderStatus.AWAITING_CONFIRMATION) {
            return Optional.empty();
        }
        if (status == OrderStatus.COMPLETED || status == OrderStatus.SETTLED) {
            if (!autoConfirmed) {
                return Optional.of("you confirmed the work yourself; it can no longer be disputed");
            }
            if (completedAt == null || !now.isBefore(completedAt.plus(AFTER_AUTO_CONFIRM))) {
                return Optional.of("an automatically confirmed order can be disputed for "
                        + AFTER_AUTO_CONFIRM.toHours() + " hours only");
            }
            return Optional.empty();
        }
        return Optional.of("only finished work can be disputed (the order is " + status + ")");
    }
}
