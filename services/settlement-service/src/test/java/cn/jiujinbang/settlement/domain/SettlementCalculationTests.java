package cn.jiujinbang.settlement.domain;

import org.junit.jupiter.api.Test;

import static cn.jiujinbang.settlement.domain.Money.yuan;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SettlementCalculationTests {

    @Test
    void capsTaxAtThePaymentAndCatchesUpLater() {
        TaxRule perPayment = new PerPaymentWithholding();
        // 3,000 yuan already earned this month with nothing withheld (say, before a change of rule)
        IncomeToDate behind = new IncomeToDate(yuan(3_000), Money.ZERO, 1, yuan(3_000), Money.ZERO);
        SettlementCalculation small = SettlementCalculation.of(yuan(100), Money.ZERO, perPayment, behind);
        assertEquals(yuan(100), small.tax(), "at most the payment itself");
        assertEquals(Money.ZERO, small.net());
        IncomeToDate after = new IncomeToDate(yuan(3_100), yuan(100), 1, yuan(3_100), yuan(100));
        assertEquals(yuan(100), SettlementCalculation.of(yuan(100), Money.ZERO, perPayment, after).tax(),
                "tax(3,200) = 480; 100 withheld; the next 100-yuan payment is again capped");
    }

    @Test
    void postsChargedToTheChannelAndNetTaxFeeToTheirAccounts() {
        SettlementCalculation s = SettlementCalculation.of(yuan(5_000), Money.fen(40_000), new PerPaymentWithholding(),
                IncomeToDate.firstPaymentOfYear());
        assertEquals(yuan(800), s.tax());
        assertEquals(yuan(4_200), s.net());
        assertEquals(yuan(5_400), s.charged());
        JournalTransaction tx = Postings.settlement(false, "o-1", "w-9", java.time.YearMonth.of(2026, 3), s);
        assertEquals(4, tx.lines().size());
        assertEquals(new JournalTransaction.Line("1100", yuan(5_400)), tx.lines().get(0));
        assertEquals(new JournalTransaction.Line("2100:w-9", yuan(-4_200)), tx.lines().get(1));
        assertEquals(new JournalTransaction.Line("2200", yuan(-800)), tx.lines().get(2));
        assertEquals(new JournalTransaction.Line("4000", yuan(-400)), tx.lines().get(3));
    }
}
