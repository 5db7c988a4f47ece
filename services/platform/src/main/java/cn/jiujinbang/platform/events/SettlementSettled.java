package cn.jiujinbang.platform.events;

import java.time.OffsetDateTime;

/** {@code gig.settlement.settled.v1}: the order's money is booked (kind ORDER or COMPENSATION); charged = net + tax + fee. */
public record SettlementSettled(String orderId, String workerId, String kind, long grossFen, long serviceFeeFen, long taxFen,
                                long netFen, long chargedFen, OffsetDateTime settledAt) {
    public SettlementSettled {
        EventFields.uuid(orderId, "orderId");
        EventFields.required(kind, "kind");
        EventFields.notNegative(grossFen, "grossFen");
        EventFields.notNegative(serviceFeeFen, "serviceFeeFen");
        EventFields.notNegative(taxFen, "taxFen");
        EventFields.notNegative(netFen, "netFen");
        EventFields.notNegative(chargedFen, "chargedFen");
        EventFields.required(settledAt, "settledAt");
    }
}
