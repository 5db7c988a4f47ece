package cn.jiujinbang.settlement.domain;

/**
 * A worker's platform income and withholding before the payment being taxed, from the ledger
 * ({@link YearIncome} computes it and owns the counting rules):
 * <ul>
 *   <li>cumulative: over the run of consecutive calendar months with income on this platform that
 *       ends with the payment's month (Asia/Shanghai), within the year — what announcement 2025
 *       No. 16 accumulates; {@code consecutiveMonths} counts the run's months including the
 *       payment's own;</li>
 *   <li>month: in the payment's calendar month — what announcement 2018 No. 61 aggregates.</li>
 * </ul>
 */
public record IncomeToDate(Money cumulativeIncome, Money cumulativeTaxWithheld, int consecutiveMonths,
                           Money monthIncome, Money monthTaxWithheld) {

    public static IncomeToDate firstPaymentOfYear() {
        return new IncomeToDate(Money.ZERO, Money.ZERO, 1, Money.ZERO, Money.ZERO);
    }

    public IncomeToDate {
        if (consecutiveMonths < 1 || consecutiveMonths > 12) {
            throw new IllegalArgumentException("consecutive months must be 1 to 12 (the payment's month counts)");
        }
    }
}
