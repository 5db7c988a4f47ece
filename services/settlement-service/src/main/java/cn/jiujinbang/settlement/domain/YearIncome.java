package cn.jiujinbang.settlement.domain;

/**
 * One worker's settled income and withholding by month of one tax year, as the ledger holds it,
 * extended as further payments of the worker are settled. Gives the income to date that a
 * payment in a given month is taxed on ({@link IncomeToDate}), so that a batch of settlements of
 * the same worker computes each one on top of the previous ones, exactly as they would be one
 * after the other.
 * <p>
 * <b>The one place that counts months</b> (announcement 2025 No. 16: "当年截至本月在本互联网平台企业
 * 连续取得劳务报酬的月份数"): the cumulative figures run over the calendar months with income that
 * come <em>consecutively</em> before the payment's month, plus that month. A month without income
 * breaks the run: the next payment starts a new run, its months, income and tax withheld counted
 * afresh from its month (Jan 2,000; no Feb; Mar 20,000 → March is taxed as a first month). Only
 * months up to the payment's count, so a payment settled late for March after April's is taxed
 * on March's figures. Months before {@code countFrom} (the month the rule came into force) never
 * count. The tax office may read the gap rule differently; it lives here and nowhere else
 * (docs/settlement.md).
 */
public final class YearIncome {

    private final long[] grossFen = new long[13];
    private final long[] taxFen = new long[13];
    private final boolean[] settled = new boolean[13];

    /** Adds a settled payment (also one read back from the ledger) to its month. */
    public void add(int month, Money gross, Money tax) {
        checkMonth(month);
        grossFen[month] = Math.addExact(grossFen[month], gross.fen());
        taxFen[month] = Math.addExact(taxFen[month], tax.fen());
        settled[month] = true;
    }

    /** What a payment in {@code month} is taxed on, every month of the year counting. */
    public IncomeToDate before(int month) {
        return before(month, 1);
    }

    /**
     * What a payment in {@code month} is taxed on, counting months from {@code countFrom} on (a
     * rule that came into force during the year does not accumulate the months before it).
     */
    public IncomeToDate before(int month, int countFrom) {
        checkMonth(month);
        checkMonth(countFrom);
        int first = month;
        while (first - 1 >= countFrom && settled[first - 1]) {
            first--;
        }
        long gross = 0;
        long tax = 0;
        for (int m = first; m <= month; m++) {
            gross = Math.addExact(gross, grossFen[m]);
            tax = Math.addExact(tax, taxFen[m]);
        }
        return new IncomeToDate(Money.fen(gross), Money.fen(tax), month - first + 1,
                Money.fen(grossFen[month]), Money.fen(taxFen[month]));
    }

    private static void checkMonth(int month) {
        if (month < 1 || month > 12) {
            throw new IllegalArgumentException("month must be 1 to 12, not " + month);
        }
    }
}
