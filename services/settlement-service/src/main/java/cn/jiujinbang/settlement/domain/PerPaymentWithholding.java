package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * Withholding per payment of labor remuneration, State Taxation Administration announcement 2018
 * No. 61: income ≤ 4,000 yuan: taxable = income − 800 (not below 0); above 4,000: taxable =
 * income × 80 %. Taxable ≤ 20,000 yuan: 20 %; 20,000–50,000: 30 % − 2,000; above 50,000: 40 % −
 * 7,000. Continuous income within one calendar month counts as one payment, so a payment
 * withholds tax(month-to-date income) − tax already withheld this month, never below 0.
 * All of a worker's labor through the platform counts as the same kind of service.
 */
public final class PerPaymentWithholding implements TaxRule {

    public static final String NAME = "per-payment-2018-61";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public YearMonth inForceFrom() {
        return YearMonth.of(2019, 1);
    }

    @Override
    public Money withhold(Money payment, IncomeToDate before) {
        return taxOn(before.monthIncome().plus(payment)).minus(before.monthTaxWithheld()).max(Money.ZERO);
    }

    /** The tax on one (aggregated) payment. */
    static Money taxOn(Money income) {
        long fen = income.fen();
        // taxable income in 1/100 fen
        long taxableHundredths = fen <= 4_000_00
                ? Math.max(0, (fen - 800_00) * 100)
                : Math.multiplyExact(fen, 80);
        long tax;
        if (taxableHundredths <= 20_000_00L * 100) {
            tax = taxableHundredths * 20;
        } else if (taxableHundredths <= 50_000_00L * 100) {
            tax = Math.multiplyExact(taxableHundredths, 30) - 2_000_00L * 10_000;
        } else {
            tax = Math.multiplyExact(taxableHundredths, 40) - 7_000_00L * 10_000;
        }
        return TaxRule.roundToFen(tax);
    }
}
