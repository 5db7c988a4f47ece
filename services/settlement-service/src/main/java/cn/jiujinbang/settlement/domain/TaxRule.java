package cn.jiujinbang.settlement.domain;

import java.time.YearMonth;

/**
 * How much individual income tax on labor remuneration (劳务报酬所得) the platform withholds from
 * one payment. A changed regulation is a new implementation; configuration picks one.
 * Implementations never return a negative amount.
 */
public interface TaxRule {

    /** The stable name configuration and settlements use for this rule. */
    String name();

    Money withhold(Money payment, IncomeToDate before);

    /** The first tax month the rule applies to; earlier months keep the rule in force then ({@link TaxRegime}). */
    YearMonth inForceFrom();

    /** Rounds an exact amount held in 1/10000 fen half up to the fen; never below zero. */
    static Money roundToFen(long tenThousandthsOfFen) {
        if (tenThousandthsOfFen <= 0) {
            return Money.ZERO;
        }
        return Money.fen(Math.addExact(tenThousandthsOfFen, 5_000) / 10_000);
    }
}
