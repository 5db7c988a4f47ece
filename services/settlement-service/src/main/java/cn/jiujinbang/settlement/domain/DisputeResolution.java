package cn.jiujinbang.settlement.domain;

import java.util.Optional;

/**
 * How a resolved dispute moves money, from the order's settlement (net to the worker, tax withheld,
 * platform fee, charged to the resident):
 * <ul>
 *   <li>PAY_IN_FULL: nothing is refunded; the worker's pay is released.</li>
 *   <li>PARTIAL_REFUND of R fen: the resident gets R back, taken from the worker's pay for the
 *       order (1 ≤ R ≤ net); the fee and the tax withheld stay (withholding is a prepayment the
 *       worker's annual return settles).</li>
 *   <li>FULL_REFUND: the resident gets everything charged back: the worker's net, the tax withheld and
 *       the fee are all given back.</li>
 * </ul>
 * A refund needs the worker's pay for the order to be unpaid (the dispute held it, unless a batch paid
 * it before the dispute arrived).
 */
public record DisputeResolution(Outcome outcome, Money refund, Money fromWorker, Money fromTax, Money fromFee) {

    public enum Outcome { PAY_IN_FULL, PARTIAL_REFUND, FULL_REFUND }

    /** The resolution, or why it cannot be (a message for the field {@code refundFen} or a conflict). */
    public static Result of(Outcome outcome, Long refundFen, Money net, Money tax, Money fee, Money charged, boolean paidOut) {
        if (outcome == Outcome.PAY_IN_FULL) {
            return refundFen != null && refundFen != 0 ? Result.invalid("must be 0 or absent when paying in full")
                    : Result.ok(new DisputeResolution(outcome, Money.ZERO, Money.ZERO, Money.ZERO, Money.ZERO));
        }
        if (paidOut) {
            return Result.conflict("the worker was paid for this order before the dispute; a refund cannot be taken "
                    + "from their pay (pay in full, or refund the resident outside the ledger's dispute flow)");
        }
        if (outcome == Outcome.FULL_REFUND) {
            if (refundFen != null && refundFen != charged.fen()) {
                return Result.invalid("a full refund is everything charged: " + charged.fen() + " fen");
            }
            return Result.ok(new DisputeResolution(outcome, charged, net, tax, fee));
        }
        if (refundFen == null || refundFen < 1 || refundFen > net.fen()) {
            return Result.invalid("a partial refund is 1 to " + net.fen() + " fen (the worker's pay for the order)");
        }
        Money r = Money.fen(refundFen);
        return Result.ok(new DisputeResolution(outcome, r, r, Money.ZERO, Money.ZERO));
    }

    /** The journal transaction of the refund, if there is one. */
    public Optional<JournalTransaction> posting(String orderId, String workerId) {
        return refund.fen() == 0 ? Optional.empty() : Optional.of(Postings.disputeRefund(orderId, workerId, this));
    }

    public record Result(DisputeResolution resolution, String invalid, String conflict) {
        static Result ok(DisputeResolution r) {
            return new Result(r, null, null);
        }

        static Result invalid(String why) {
            return new Result(null, why, null);
        }

        static Result conflict(String why) {
            return new Result(null, null, why);
        }
    }
}
