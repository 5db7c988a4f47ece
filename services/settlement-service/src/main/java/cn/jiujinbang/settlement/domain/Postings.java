package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * Every journal transaction the platform posts is built here, and only here (services call these
 * and post what they return). The chart of accounts is {@link Account}; amounts are debit-positive.
 * <pre>
 * HOLD                       Dr held funds (1050)             Cr holds owed (2050)   (escrow: authorised, not collected)
 * HOLD_CAPTURED / HOLD_VOIDED Dr holds owed                   Cr held funds          (captured by a settlement, or released)
 * SETTLEMENT / COMPENSATION  Dr channel receivable (charged)  Cr worker payable (net), tax payable (tax), fee revenue (fee)
 * CHARGE_RECEIVED            Dr bank                          Cr channel receivable (one per statement)
 * CHARGE_FAILED              Dr doubtful receivable           Cr channel receivable
 * CHARGE_RECOLLECTED         Dr bank                          Cr doubtful receivable
 * CHARGE_WRITTEN_OFF         Dr platform loss                 Cr doubtful receivable
 * PAYOUT                     Dr worker payable                Cr payout clearing
 * PAYOUT_CONFIRMED           Dr payout clearing               Cr bank (one per statement)
 * PAYOUT_FAILED              Dr payout clearing               Cr worker payable
 * DISPUTE_REFUND             Dr worker payable, tax payable, fee revenue (what each gives back)   Cr refunds owed (2400)
 * </pre>
 */
public final class Postings {

    private Postings() {
    }

    /** A completed order's settlement, or a late cancellation's compensation. */
    public static JournalTransaction settlement(boolean compensation, String orderId, String workerId, YearMonth taxMonth,
                                                SettlementCalculation money) {
        JournalKind kind = compensation ? JournalKind.COMPENSATION : JournalKind.SETTLEMENT;
        return JournalTransaction.builder(kind, orderId, (compensation ? "compensation" : "settlement") + " of order " + orderId)
                .taxPeriod(taxMonth)
                .debit(Account.CHANNEL_RECEIVABLE.code(), money.charged())
                .credit(Account.workerPayable(workerId), money.net())
                .credit(Account.TAX_PAYABLE.code(), money.tax())
                .credit(Account.PLATFORM_FEE_REVENUE.code(), money.serviceFee())
                .build();
    }

    /** The channel holds the resident's price + fee for a posted order. */
    public static JournalTransaction hold(String orderId, Money amount) {
        return JournalTransaction.builder(JournalKind.HOLD, orderId, "held for order " + orderId)
                .debit(Account.HELD_FUNDS.code(), amount).credit(Account.HOLDS_OWED.code(), amount).build();
    }

    /** What a settlement captures of the order's hold (its charge is the settlement's own transaction). */
    public static JournalTransaction holdCaptured(String orderId, Money amount) {
        return JournalTransaction.builder(JournalKind.HOLD_CAPTURED, orderId, "hold captured for order " + orderId)
                .debit(Account.HOLDS_OWED.code(), amount).credit(Account.HELD_FUNDS.code(), amount).build();
    }

    /** A hold, or what a partial capture left of it, released to the resident. */
    public static JournalTransaction holdVoided(String orderId, Money amount, String why) {
        return JournalTransaction.builder(JournalKind.HOLD_VOIDED, orderId, "hold released: " + why)
                .debit(Account.HOLDS_OWED.code(), amount).credit(Account.HELD_FUNDS.code(), amount).build();
    }

    /** The charges a statement shows collected, in one transaction: a statement is one deposit for the bank. */
    public static JournalTransaction chargesReceived(String statement, int charges, Money total) {
        return JournalTransaction.builder(JournalKind.CHARGE_RECEIVED, null, charges + " charges collected, statement " + statement)
                .debit(Account.BANK.code(), total).credit(Account.CHANNEL_RECEIVABLE.code(), total).build();
    }

    public static JournalTransaction chargeFailed(String orderId, Money amount, String reason) {
        return JournalTransaction.builder(JournalKind.CHARGE_FAILED, orderId, "charge failed: " + reason)
                .debit(Account.DOUBTFUL_RECEIVABLE.code(), amount).credit(Account.CHANNEL_RECEIVABLE.code(), amount).build();
    }

    public static JournalTransaction chargeRecollected(String orderId, Money amount, String by, String note) {
        return JournalTransaction.builder(JournalKind.CHARGE_RECOLLECTED, orderId, "recollected (" + by + "): " + note)
                .debit(Account.BANK.code(), amount).credit(Account.DOUBTFUL_RECEIVABLE.code(), amount).build();
    }

    public static JournalTransaction chargeWrittenOff(String orderId, Money amount, String by, String note) {
        return JournalTransaction.builder(JournalKind.CHARGE_WRITTEN_OFF, orderId, "written off (" + by + "): " + note)
                .debit(Account.PLATFORM_LOSS.code(), amount).credit(Account.DOUBTFUL_RECEIVABLE.code(), amount).build();
    }

    public static JournalTransaction payout(String reference, String workerId, Money amount) {
        return JournalTransaction.builder(JournalKind.PAYOUT, null, "payout " + reference + " to " + workerId)
                .debit(Account.workerPayable(workerId), amount).credit(Account.PAYOUT_CLEARING.code(), amount).build();
    }

    /** The payouts a statement shows made, in one transaction. */
    public static JournalTransaction payoutsConfirmed(String statement, int payouts, Money total) {
        return JournalTransaction.builder(JournalKind.PAYOUT_CONFIRMED, null, payouts + " payouts confirmed, statement " + statement)
                .debit(Account.PAYOUT_CLEARING.code(), total).credit(Account.BANK.code(), total).build();
    }

    public static JournalTransaction payoutFailed(String reference, String workerId, Money amount, String reason) {
        return JournalTransaction.builder(JournalKind.PAYOUT_FAILED, null, "payout failed " + reference + ": " + reason)
                .debit(Account.PAYOUT_CLEARING.code(), amount).credit(Account.workerPayable(workerId), amount).build();
    }

    /** A dispute resolved with a refund: what the worker, the tax and the fee give back is owed to the resident. */
    public static JournalTransaction disputeRefund(String orderId, String workerId, DisputeResolution r) {
        return JournalTransaction.builder(JournalKind.DISPUTE_REFUND, orderId,
                        "dispute of order " + orderId + " resolved: " + r.outcome() + ", " + r.refund().fen() + " fen refunded")
                .debit(Account.workerPayable(workerId), r.fromWorker())
                .debit(Account.TAX_PAYABLE.code(), r.fromTax())
                .debit(Account.PLATFORM_FEE_REVENUE.code(), r.fromFee())
                .credit(Account.REFUNDS_OWED.code(), r.refund())
                .build();
    }
}
