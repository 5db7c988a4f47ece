package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * One worker's line of the monthly withholding return (扣缴申报) for labor remuneration, from the
 * ledger's figures. Under 2025 No. 16 the figures are cumulative over the worker's run of consecutive
 * months through the return's month ({@link YearIncome}): income, expenses (20 % of it), deduction
 * (5,000 yuan × the run's months), taxable income, and the tax withheld in the run; under 2018 No. 61
 * they are the month's: income, expenses (800 yuan up to 4,000 yuan, 20 % above), no deduction,
 * taxable income and the month's tax. The month's own income and tax are given in both cases.
 */
public record WithholdingLine(String workerId, YearMonth month, String taxRule, int consecutiveMonths,
                              long monthIncomeFen, long monthTaxFen, long incomeFen, long expensesFen, long deductionFen,
                              long taxableFen, long taxFen) {

    public static final String CSV_HEADER = "workerId,month,taxRule,consecutiveMonths,monthIncomeFen,monthTaxFen,"
            + "incomeFen,expensesFen,deductionFen,taxableFen,taxFen";

    private static final long MONTHLY_DEDUCTION_FEN = 5_000_00;

    /** The line of {@code workerId} for {@code month}, given the worker's year as the ledger holds it through that month. */
    public static WithholdingLine of(String workerId, YearMonth month, TaxRegime regime, YearIncome year) {
        TaxRule rule = regime.ruleFor(month);
        // what a further payment in the month would be taxed on: the run through the month, the month's own income included
        IncomeToDate through = regime.incomeBefore(month, year);
        long monthIncome = through.monthIncome().fen();
        long monthTax = through.monthTaxWithheld().fen();
        if (rule instanceof CumulativeWithholding) {
            long income = through.cumulativeIncome().fen();
            long expenses = Math.addExact(income, 2) / 5; // 20 %, half up to the fen
            long deduction = Math.multiplyExact(MONTHLY_DEDUCTION_FEN, through.consecutiveMonths());
            return new WithholdingLine(workerId, month, rule.name(), through.consecutiveMonths(), monthIncome, monthTax,
                    income, expenses, deduction, Math.max(0, income - expenses - deduction),
                    through.cumulativeTaxWithheld().fen());
        }
        long expenses = monthIncome <= 4_000_00 ? Math.min(monthIncome, 800_00) : Math.addExact(monthIncome, 2) / 5;
        return new WithholdingLine(workerId, month, rule.name(), 1, monthIncome, monthTax, monthIncome, expenses, 0,
                monthIncome - expenses, monthTax);
    }

    public String csv() {
        return String.join(",", Csv.cell(workerId), month.toString(), taxRule, String.valueOf(consecutiveMonths),
                String.valueOf(monthIncomeFen), String.valueOf(monthTaxFen), String.valueOf(incomeFen),
                String.valueOf(expensesFen), String.valueOf(deductionFen), String.valueOf(taxableFen), String.valueOf(taxFen));
    }
}
