package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * The platform cumulative withholding method for labor remuneration of platform workers,
 * State Taxation Administration announcement 2025 No. 16 (in force 2025-10-01):
 * <pre>
 * withhold now = (cumulative income − cumulative expenses − cumulative deduction) × rate
 *                − quick deduction − tax already withheld in those months
 * cumulative expenses  = cumulative income × 20 %
 * cumulative deduction = 5,000 yuan × consecutive months of income on the platform up to this one
 * </pre>
 * with the rate and quick deduction of the cumulative withholding table. The year's tax is
 * computed exactly and rounded half up to the fen once; a payment never withholds less than 0
 * (a month with nothing due withholds 0, and nothing is refunded).
 */
public final class CumulativeWithholding implements TaxRule {

    public static final String NAME = "cumulative-2025-16";

    /** Upper bound of taxable income in yuan (inclusive), rate in percent, quick deduction in yuan. */
    private static final long[][] TABLE = {
            {36_000, 3, 0},
            {144_000, 10, 2_520},
            {300_000, 20, 16_920},
            {420_000, 25, 31_920},
            {660_000, 30, 52_920},
            {960_000, 35, 85_920},
            {Long.MAX_VALUE, 45, 181_920},
    };
    private static final long MONTHLY_DEDUCTION_FEN = 5_000 * 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public YearMonth inForceFrom() {
        return YearMonth.of(2025, 10);
    }

    @Override
    public Money withhold(Money payment, IncomeToDate before) {
        Money cumulativeTax = cumulativeTax(before.cumulativeIncome().plus(payment), before.consecutiveMonths());
        return cumulativeTax.minus(before.cumulativeTaxWithheld()).max(Money.ZERO);
    }

    /** The tax due on the year's cumulative income so far. */
    static Money cumulativeTax(Money cumulativeIncome, int months) {
        // taxable income in 1/100 fen: income × 80 % − deduction, exact
        long taxableHundredths = Math.subtractExact(Math.multiplyExact(cumulativeIncome.fen(), 80),
                Math.multiplyExact(MONTHLY_DEDUCTION_FEN * months, 100));
        if (taxableHundredths <= 0) {
            return Money.ZERO;
        }
        for (long[] bracket : TABLE) {
            if (bracket[0] == Long.MAX_VALUE || taxableHundredths <= bracket[0] * 100L * 100) {
                long tax = Math.subtractExact(Math.multiplyExact(taxableHundredths, bracket[1]),
                        Math.multiplyExact(bracket[2], 100L * 10_000));
                return TaxRule.roundToFen(tax);
            }
        }
        throw new IllegalStateException("unreachable: the last bracket is open-ended");
    }
}
