package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;
import java.util.Objects;

/** {@code gig.settlement.settled.v1}: the order's money is booked (kind ORDER or COMPENSATION); charged = net + tax + fee. */
public record SettlementSettled(String orderId, String workerId, String kind, long grossFen, long serviceFeeFen, long taxFen,
                                long netFen, long chargedFen, OffsetDateTime settledAt) {
    public SettlementSettled {
        Objects.requireNonNull(orderId, "orderId");
    }
}
