package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class YearIncomeTests {

    private final TaxRule rule = new CumulativeWithholding();

    @Test
    void aNewYearIsTheFirstPayment() {
        assertEquals(IncomeToDate.firstPaymentOfYear(), new YearIncome().before(5));
    }

    @Test
    void eachPaymentIsTaxedOnTopOfTheOnesBeforeIt() {
        // the months of CumulativeWithholdingTests, settled one after the other through YearIncome
        YearIncome year = new YearIncome();
        long[][] payments = {{1, 20_000, 330}, {2, 2_000, 0}, {3, 40_000, 708}, {4, 20_000, 1_002}};
        for (long[] p : payments) {
            int month = (int) p[0];
            Money tax = rule.withhold(yuan(p[1]), year.before(month));
            assertEquals(yuan(p[2]), tax, "month " + month);
            year.add(month, yuan(p[1]), tax);
        }
        IncomeToDate may = year.before(5);
        assertEquals(yuan(82_000), may.cumulativeIncome());
        assertEquals(yuan(2_040), may.cumulativeTaxWithheld());
        assertEquals(5, may.consecutiveMonths());
        assertEquals(Money.ZERO, may.monthIncome());
    }

    @Test
    void aSecondPaymentInTheSameMonthSeesTheFirst() {
        YearIncome year = new YearIncome();
        year.add(3, yuan(100), yuan(3));
        IncomeToDate march = year.before(3);
        assertEquals(1, march.consecutiveMonths());
        assertEquals(yuan(100), march.monthIncome());
        assertEquals(yuan(3), march.monthTaxWithheld());
        assertEquals(2, year.before(4).consecutiveMonths());
    }

    @Test
    void aMonthWithoutIncomeBreaksTheRunAndTheNextPaymentStartsAfresh() {
        // DESIGN.md's worked check: Jan 2,000; no Feb; Mar 20,000 → Jan 0, Mar 330.00
        YearIncome year = new YearIncome();
        Money jan = rule.withhold(yuan(2_000), year.before(1));
        assertEquals(Money.ZERO, jan);
        year.add(1, yuan(2_000), jan);
        IncomeToDate march = year.before(3);
        assertEquals(1, march.consecutiveMonths(), "February had no income: March starts a new run");
        assertEquals(Money.ZERO, march.cumulativeIncome(), "January's income does not carry over the gap");
        assertEquals(yuan(330), rule.withhold(yuan(20_000), march));
        // counting every month with income instead (2 months, 22,000) would give 228.00
    }

    @Test
    void onlyMonthsUpToThePaymentsCount() {
        // March settled late, after April's payment: it is taxed on January to March, not on April
        YearIncome year = new YearIncome();
        year.add(1, yuan(20_000), yuan(330));
        year.add(2, yuan(20_000), yuan(330));
        year.add(4, yuan(30_000), yuan(0));
        IncomeToDate march = year.before(3);
        assertEquals(yuan(40_000), march.cumulativeIncome());
        assertEquals(yuan(660), march.cumulativeTaxWithheld());
        assertEquals(3, march.consecutiveMonths());
        // once March is booked, April belongs to the January run again
        year.add(3, yuan(1_000), yuan(0));
        assertEquals(4, year.before(4).consecutiveMonths());
        assertEquals(yuan(71_000), year.before(4).cumulativeIncome());
    }

    @Test
    void monthsBeforeTheRuleCameIntoForceDoNotCount() {
        YearIncome year = new YearIncome();
        year.add(8, yuan(20_000), yuan(3_200));
        year.add(9, yuan(20_000), yuan(3_200));
        IncomeToDate october = year.before(10, 10);
        assertEquals(1, october.consecutiveMonths());
        assertEquals(Money.ZERO, october.cumulativeIncome());
        assertEquals(Money.ZERO, october.cumulativeTaxWithheld());
    }

    @Test
    void refusesAMonthThatIsNone() {
        assertThrows(IllegalArgumentException.class, () -> new YearIncome().before(13));
        assertThrows(IllegalArgumentException.class, () -> new YearIncome().add(0, Money.ZERO, Money.ZERO));
    }
}
