package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PerPaymentWithholdingTests {

    private final TaxRule rule = new PerPaymentWithholding();

    private static IncomeToDate monthSoFar(Money income, Money withheld) {
        return new IncomeToDate(income, withheld, 1, income, withheld);
    }

    @Test
    void withholdsTheWorkedExamplesOfAnnouncement2018No61() {
        assertEquals(yuan(440), rule.withhold(yuan(3_000), IncomeToDate.firstPaymentOfYear()));
        assertEquals(yuan(800), rule.withhold(yuan(5_000), IncomeToDate.firstPaymentOfYear()));
        assertEquals(yuan(5_200), rule.withhold(yuan(30_000), IncomeToDate.firstPaymentOfYear()));
        assertEquals(Money.ZERO, rule.withhold(yuan(800), IncomeToDate.firstPaymentOfYear()));
        assertEquals(Money.ZERO, rule.withhold(yuan(68), IncomeToDate.firstPaymentOfYear()));
    }

    @Test
    void appliesTheHighestBracketAboveFiftyThousandTaxable() {
        // 100,000 × 80 % = 80,000 taxable; × 40 % − 7,000 = 25,000
        assertEquals(yuan(25_000), rule.withhold(yuan(100_000), IncomeToDate.firstPaymentOfYear()));
        // exactly 4,000: still income − 800 → 3,200 × 20 % = 640
        assertEquals(yuan(640), rule.withhold(yuan(4_000), IncomeToDate.firstPaymentOfYear()));
    }

    @Test
    void aggregatesSeveralSmallPaymentsOfOneMonthIntoOne() {
        Money first = rule.withhold(yuan(1_000), IncomeToDate.firstPaymentOfYear());
        assertEquals(yuan(40), first); // (1,000 − 800) × 20 %
        Money second = rule.withhold(yuan(1_000), monthSoFar(yuan(1_000), first));
        assertEquals(yuan(200), second); // tax(2,000) = 240, minus 40
        Money third = rule.withhold(yuan(1_000), monthSoFar(yuan(2_000), first.plus(second)));
        assertEquals(yuan(200), third); // tax(3,000) = 440, minus 240
        assertEquals(yuan(440), first.plus(second).plus(third), "the month is taxed as one payment of 3,000");
    }

    @Test
    void roundsToTheFen() {
        // 801.23 yuan: (801.23 − 800) × 20 % = 0.246 yuan → 0.25
        assertEquals(Money.fen(25), rule.withhold(Money.fen(80_123), IncomeToDate.firstPaymentOfYear()));
    }

    @Test
    void neverWithholdsANegativeAmount() {
        // withheld more this month than the aggregate now says (e.g. a reversed payment): nothing, not a refund
        assertEquals(Money.ZERO, rule.withhold(yuan(10), monthSoFar(yuan(100), yuan(50))));
    }
}
