package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CumulativeWithholdingTests {

    private final TaxRule rule = new CumulativeWithholding();

    @Test
    void withholdsCumulativeTaxAcrossMonths() {
        // January: 20,000 earned. taxable = 20,000 × 80 % − 5,000 = 11,000; × 3 % = 330
        Money jan = rule.withhold(yuan(20_000), new IncomeToDate(Money.ZERO, Money.ZERO, 1, Money.ZERO, Money.ZERO));
        assertEquals(yuan(330), jan);

        // February: 2,000 more. cumulative 22,000 × 80 % − 10,000 = 7,600; × 3 % = 228 < 330 withheld:
        // a month with nothing due withholds 0, never a negative amount
        Money feb = rule.withhold(yuan(2_000), new IncomeToDate(yuan(20_000), jan, 2, Money.ZERO, Money.ZERO));
        assertEquals(Money.ZERO, feb);

        // March: 40,000 more. cumulative 62,000 × 80 % − 15,000 = 34,600; × 3 % = 1,038; minus 330
        Money mar = rule.withhold(yuan(40_000), new IncomeToDate(yuan(22_000), jan.plus(feb), 3, Money.ZERO, Money.ZERO));
        assertEquals(yuan(708), mar);

        // April: 20,000 more crosses the 36,000 bracket. 82,000 × 80 % − 20,000 = 45,600;
        // × 10 % − 2,520 = 2,040; minus 1,038 withheld so far
        Money apr = rule.withhold(yuan(20_000), new IncomeToDate(yuan(62_000), jan.plus(feb).plus(mar), 4, Money.ZERO, Money.ZERO));
        assertEquals(yuan(1_002), apr);
        assertEquals(yuan(2_040), jan.plus(feb).plus(mar).plus(apr), "withheld so far equals the year's cumulative tax");
    }

    @Test
    void startsAfreshAtTheYearBoundary() {
        // the next January: nothing earned this year yet, whatever happened last year
        assertEquals(yuan(330), rule.withhold(yuan(20_000), IncomeToDate.firstPaymentOfYear()));
    }

    @Test
    void aTypicalGigEarnerOwesNothing() {
        // 68 yuan orders, 60 a month: 4,080 a month, well under the 5,000 monthly deduction after expenses
        assertEquals(Money.ZERO, rule.withhold(Money.fen(6_800), new IncomeToDate(Money.fen(6_800 * 59), Money.ZERO, 1,
                Money.fen(6_800 * 59), Money.ZERO)));
    }

    @Test
    void usesTheHigherBracketsOfTheTable() {
        assertEquals(yuan(0), CumulativeWithholding.cumulativeTax(yuan(6_250), 1));             // taxable exactly 0
        assertEquals(yuan(1_080), CumulativeWithholding.cumulativeTax(yuan(51_250), 1));        // 36,000 × 3 %
        assertEquals(yuan(43_080), CumulativeWithholding.cumulativeTax(yuan(381_250), 1));      // 300,000 × 20 % − 16,920
        assertEquals(yuan(763_080), CumulativeWithholding.cumulativeTax(yuan(2_631_250), 1));   // 2,100,000 × 45 % − 181,920
    }

    @Test
    void roundsTheYearsTaxHalfUpToTheFen() {
        // 20,000.01 yuan: taxable 11,000.008; × 3 % = 330.00024 → 330.00
        assertEquals(yuan(330), CumulativeWithholding.cumulativeTax(Money.fen(2_000_001), 1));
        // 20,000.21 yuan: taxable 11,000.168; × 3 % = 330.00504 → 330.01
        assertEquals(Money.fen(33_001), CumulativeWithholding.cumulativeTax(Money.fen(2_000_021), 1));
    }
}
