package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import java.time.YearMonth;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TaxRegimeTests {

    private final TaxRegime regime = TaxRegime.of(new CumulativeWithholding());

    @Test
    void theCumulativeRuleAppliesFromOctober2025AndThePerPaymentRuleBefore() {
        assertEquals(PerPaymentWithholding.NAME, regime.ruleFor(YearMonth.of(2025, 9)).name());
        assertEquals(CumulativeWithholding.NAME, regime.ruleFor(YearMonth.of(2025, 10)).name());
        assertEquals(CumulativeWithholding.NAME, regime.ruleFor(YearMonth.of(2026, 1)).name());
    }

    @Test
    void september2025IsTaxedPerPaymentAndOctoberStartsTheFirstRun() {
        YearIncome year = new YearIncome();
        SettlementCalculation september = regime.settle(yuan(5_000), Money.ZERO, YearMonth.of(2025, 9), year);
        assertEquals(yuan(800), september.tax(), "2018 No. 61: 5,000 × 80 % × 20 %");
        year.add(9, september.gross(), september.tax());
        SettlementCalculation october = regime.settle(yuan(20_000), Money.ZERO, YearMonth.of(2025, 10), year);
        assertEquals(yuan(330), october.tax(), "a first month: September's income and tax do not count");
    }

    @Test
    void theWorkedChecksOfTheAnnouncement() {
        YearIncome year = new YearIncome();
        SettlementCalculation jan = regime.settle(yuan(2_000), Money.ZERO, YearMonth.of(2026, 1), year);
        year.add(1, jan.gross(), jan.tax());
        SettlementCalculation mar = regime.settle(yuan(20_000), Money.ZERO, YearMonth.of(2026, 3), year);
        assertEquals(Money.ZERO, jan.tax());
        assertEquals(Money.fen(33_000), mar.tax(), "Jan 2,000; no Feb; Mar 20,000 → 330.00");
    }

    @Test
    void aPerPaymentConfigurationIsThatRuleThroughout() {
        TaxRegime perPayment = TaxRegime.of(new PerPaymentWithholding());
        assertEquals(PerPaymentWithholding.NAME, perPayment.ruleFor(YearMonth.of(2026, 3)).name());
        assertEquals(yuan(440), perPayment.settle(yuan(3_000), Money.ZERO, YearMonth.of(2026, 3), new YearIncome()).tax());
    }
}
