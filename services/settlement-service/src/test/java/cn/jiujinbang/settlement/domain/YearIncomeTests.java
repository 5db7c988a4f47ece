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
        assertEquals(yuan(82_000), may.yearIncome());
        assertEquals(yuan(2_040), may.yearTaxWithheld());
        assertEquals(5, may.monthsWithIncome());
        assertEquals(Money.ZERO, may.monthIncome());
    }

    @Test
    void aSecondPaymentInTheSameMonthSeesTheFirst() {
        YearIncome year = new YearIncome();
        year.add(3, yuan(100), yuan(3));
        IncomeToDate march = year.before(3);
        assertEquals(1, march.monthsWithIncome());
        assertEquals(yuan(100), march.monthIncome());
        assertEquals(yuan(3), march.monthTaxWithheld());
        assertEquals(2, year.before(4).monthsWithIncome());
    }

    @Test
    void refusesAMonthThatIsNone() {
        assertThrows(IllegalArgumentException.class, () -> new YearIncome().before(13));
        assertThrows(IllegalArgumentException.class, () -> new YearIncome().add(0, Money.ZERO, Money.ZERO));
    }
}
