package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * Which withholding rule taxes a payment, by its tax month (the month the order was completed,
 * Asia/Shanghai): the configured rule from the month it came into force, the rule it replaced
 * before that (2025 No. 16 applies to platform income from 2025-10-01; earlier months keep 2018
 * No. 61). A rule that came into force during a year accumulates only from that month.
 */
public record TaxRegime(TaxRule configured, TaxRule previous) {

    public TaxRegime {
        if (previous != configured && !previous.inForceFrom().isBefore(configured.inForceFrom())) {
            throw new IllegalArgumentException(previous.name() + " must predate " + configured.name());
        }
    }

    /** The configured rule, and before it came into force the per-payment rule it replaced. */
    public static TaxRegime of(TaxRule configured) {
        TaxRule perPayment = new PerPaymentWithholding();
        return new TaxRegime(configured, configured.name().equals(perPayment.name()) ? configured : perPayment);
    }

    /** The rule for payments of {@code taxMonth}. */
    public TaxRule ruleFor(YearMonth taxMonth) {
        return taxMonth.isBefore(configured.inForceFrom()) ? previous : configured;
    }

    /** The money of a payment in {@code taxMonth}, given the worker's income of that year so far. */
    public SettlementCalculation settle(Money gross, Money serviceFee, YearMonth taxMonth, YearIncome year) {
        return SettlementCalculation.of(gross, serviceFee, ruleFor(taxMonth), incomeBefore(taxMonth, year));
    }

    /**
     * What a payment in {@code taxMonth} is taxed on: the worker's year so far, counted from the month
     * its rule came into force when that was during the year.
     */
    public IncomeToDate incomeBefore(YearMonth taxMonth, YearIncome year) {
        YearMonth from = ruleFor(taxMonth).inForceFrom();
        int countFrom = from.getYear() == taxMonth.getYear() ? from.getMonthValue() : 1;
        return year.before(taxMonth.getMonthValue(), countFrom);
    }
}
