package cn.jiujinbang.settlement.domain;

/** What a journal transaction records; stored by name in {@code journal_transaction.kind}. */
public enum JournalKind {
    /** A completed order: the resident's charge split into the worker's net, tax and the platform fee. */
    SETTLEMENT,
    /** A cancellation after assignment: the compensation charged to the resident, the worker's net and tax. */
    COMPENSATION,
    /** The channel holds a posted order's price + fee (escrow): held funds / holds owed, off the money accounts. */
    HOLD,
    /** Part or all of a hold captured by the order's settlement or compensation (the hold pair reversed). */
    HOLD_CAPTURED,
    /** Part or all of a hold released: the order cancelled, the rest of a partial capture, or the hold lapsed. */
    HOLD_VOIDED,
    /** The channel collected a charge: channel receivable → bank. */
    CHARGE_RECEIVED,
    /** The channel failed a charge: channel receivable → doubtful receivable; the worker's net is held. */
    CHARGE_FAILED,
    /** A doubtful charge was collected after all: doubtful receivable → bank. */
    CHARGE_RECOLLECTED,
    /** A doubtful charge written off as the platform's loss. */
    CHARGE_WRITTEN_OFF,
    /** A payout instructed: worker payable → payout clearing. */
    PAYOUT,
    /** The statement shows the payout made: payout clearing → bank. */
    PAYOUT_CONFIRMED,
    /** The provider or the statement failed the payout: payout clearing → worker payable (owed again). */
    PAYOUT_FAILED,
    /** A dispute resolved with a refund: what the worker, the tax and the fee give back → refunds owed to the resident. */
    DISPUTE_REFUND,
    /** Undoes another transaction line for line (a correction is a new transaction, never an edit). */
    REVERSAL
}
