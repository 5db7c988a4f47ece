package cn.jiujinbang.settlement.domain;

/**
 * One worker's settled income and withholding by month of one tax year, as the ledger holds it,
 * extended as further payments of the worker are settled. Gives the income to date that a
 * payment in a given month is taxed on ({@link IncomeToDate}), so that a batch of settlements of
 * the same worker computes each one on top of the previous ones, exactly as they would be one
 * after the other.
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

    /**
     * What a payment in {@code month} is taxed on: the year's income and withholding so far, the
     * month's, and the months with income this year counting the payment's own.
     */
    public IncomeToDate before(int month) {
        checkMonth(month);
        long yearGross = 0;
        long yearTax = 0;
        int otherMonths = 0;
        for (int m = 1; m <= 12; m++) {
            yearGross = Math.addExact(yearGross, grossFen[m]);
            yearTax = Math.addExact(yearTax, taxFen[m]);
            if (settled[m] && m != month) {
                otherMonths++;
            }
        }
        return new IncomeToDate(Money.fen(yearGross), Money.fen(yearTax), otherMonths + 1,
                Money.fen(grossFen[month]), Money.fen(taxFen[month]));
    }

    private static void checkMonth(int month) {
        if (month < 1 || month > 12) {
            throw new IllegalArgumentException("month must be 1 to 12, not " + month);
        }
    }
}
