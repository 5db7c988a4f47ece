package cn.jiujinbang.settlement.domain;

/**
 * A worker's platform income and withholding before the payment being taxed, from the ledger:
 * in the calendar year and in the calendar month of the payment (Asia/Shanghai), and in how many
 * months of the year (counting the payment's month) the worker earned on the platform.
 */
public record IncomeToDate(Money yearIncome, Money yearTaxWithheld, int monthsWithIncome,
                           Money monthIncome, Money monthTaxWithheld) {

    public static IncomeToDate firstPaymentOfYear() {
        return new IncomeToDate(Money.ZERO, Money.ZERO, 1, Money.ZERO, Money.ZERO);
    }

    public IncomeToDate {
        if (monthsWithIncome < 1 || monthsWithIncome > 12) {
            throw new IllegalArgumentException("months with income must be 1 to 12 (the payment's month counts)");
        }
    }
}
