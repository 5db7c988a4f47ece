package cn.jiujinbang.settlement.domain;

/**
 * The money of one settlement and its journal transaction.
 * <ul>
 *   <li>gross = the worker's labor fee (the order price, or the compensation for a cancellation);</li>
 *   <li>tax = the configured rule on gross, given the worker's income to date, at most gross;</li>
 *   <li>net = gross − tax, owed to the worker;</li>
 *   <li>charged = gross + service fee, collected from the resident by the channel.</li>
 * </ul>
 * So charged = net + tax + fee, to the fen. Its journal transaction: {@link Postings#settlement}.
 */
public record SettlementCalculation(Money gross, Money serviceFee, Money tax, Money net, Money charged) {

    public static SettlementCalculation of(Money gross, Money serviceFee, TaxRule rule, IncomeToDate before) {
        if (gross.isNegative() || serviceFee.isNegative()) {
            throw new IllegalArgumentException("gross and fee must not be negative");
        }
        // A payment cannot withhold more than it pays. When the rule asks for more (withholding so far
        // fell behind, e.g. after a change of rule within the year), the rest is caught up on later
        // payments, because the rule works on the year's or month's cumulative figures.
        Money due = rule.withhold(gross, before);
        Money tax = due.compareTo(gross) > 0 ? gross : due;
        return new SettlementCalculation(gross, serviceFee, tax, gross.minus(tax), gross.plus(serviceFee));
    }
}
