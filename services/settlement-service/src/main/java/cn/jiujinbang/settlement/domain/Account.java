package cn.jiujinbang.settlement.domain;

/**
 * The chart of accounts (docs/settlement.md). Amounts on journal lines are debit-positive,
 * credit-negative, so every transaction's lines sum to zero and so do all balances.
 * Worker payables are one account per worker: {@code 2100:<workerId>}.
 */
public enum Account {
    CHANNEL_RECEIVABLE("1100", "Channel receivable (collected from residents, held by the payment channel)"),
    BANK("1000", "Platform bank account"),
    HELD_FUNDS("1050", "Resident funds held by the channel (authorised, not yet captured)"),
    DOUBTFUL_RECEIVABLE("1150", "Doubtful channel receivable (charges the channel reported failed)"),
    HOLDS_OWED("2050", "Holds to capture or release to residents"),
    TAX_PAYABLE("2200", "Individual income tax withheld, payable to the tax office"),
    PAYOUT_CLEARING("2300", "Payouts sent to the channel, awaiting confirmation"),
    REFUNDS_OWED("2400", "Refunds owed to residents (resolved disputes)"),
    PLATFORM_FEE_REVENUE("4000", "Platform service fee revenue"),
    PLATFORM_LOSS("6100", "Platform loss: charges written off");

    public static final String WORKER_PAYABLE_PREFIX = "2100:";

    private final String code;
    private final String title;

    Account(String code, String title) {
        this.code = code;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public static String workerPayable(String workerId) {
        return WORKER_PAYABLE_PREFIX + workerId;
    }

    /** Whether the code names a worker's payable account (opened on the worker's first settlement). */
    public static boolean isWorkerPayable(String code) {
        return code.startsWith(WORKER_PAYABLE_PREFIX);
    }
}
