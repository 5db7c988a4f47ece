package cn.jiujinbang.settlement.channel;

import io.smallrye.mutiny.Uni;

import java.time.OffsetDateTime;

/**
 * The outside payment provider (the third-party channel that collects residents' money and pays
 * workers). Calls happen inside the settlement or payout transaction; what the channel really
 * did comes back later as its statement, which finance reconciles. A real provider implements
 * this interface as an {@code @Alternative} bean (docs/finance.md).
 */
public interface PaymentChannel {

    /** Asks the channel to collect {@code amountFen} for an order from its resident. */
    Uni<Void> charge(String orderId, long amountFen, OffsetDateTime at);

    /** Asks the channel to pay a worker; returns the channel's transaction id. */
    Uni<String> payout(String reference, String workerId, long amountFen, OffsetDateTime at);
}
