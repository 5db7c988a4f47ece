package cn.jiujinbang.settlement.channel;

import io.smallrye.mutiny.Uni;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The outside payment provider (the third-party channel that collects residents' money and pays
 * workers). Calls happen inside the settlement or payout transaction; what the channel really
 * did comes back later as its statement, which finance reconciles. A real provider implements
 * this interface as an {@code @Alternative} bean (docs/finance.md).
 */
public interface PaymentChannel {

    /** An order's amount to collect from its resident. */
    record Charge(String orderId, long amountFen) {
    }

    /** Asks the channel to collect each order's amount from its resident (a batch of settlements at once). */
    Uni<Void> charge(List<Charge> charges, OffsetDateTime at);

    /** Asks the channel to pay a worker; returns the channel's transaction id. */
    Uni<String> payout(String reference, String workerId, long amountFen, OffsetDateTime at);
}
